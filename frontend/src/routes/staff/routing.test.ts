import { describe, expect, it } from 'vitest';
import { parseEmails, ruleInput } from './routing';

const form = {
  name: '  Weekly summary ',
  event: 'digest' as const,
  schedule: 'weekly' as const,
  weekday: 1,
  language: 'es' as const,
  siteIds: [],
  needCodes: ['housing'],
  userIds: ['u1'],
  emails: 'Board@Example.org\nboard@example.org, ops@example.org\n\n',
  webhookIds: [],
};

describe('routing rules form', () => {
  it('reads addresses one per line or separated by commas, without repeats', () => {
    expect(parseEmails(form.emails)).toEqual(['board@example.org', 'ops@example.org']);
    expect(parseEmails('  ')).toEqual([]);
  });

  it('sends a weekday only for a weekly digest, and no schedule for urgent alerts', () => {
    expect(ruleInput(form)).toMatchObject({ name: 'Weekly summary', schedule: 'weekly', weekday: 1, language: 'es' });
    expect(ruleInput({ ...form, schedule: 'daily' })).toMatchObject({ schedule: 'daily', weekday: null });
    expect(ruleInput({ ...form, event: 'urgent' })).toMatchObject({ event: 'urgent', schedule: null, weekday: null });
  });
});
