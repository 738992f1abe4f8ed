import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api';
import type { FeedbackText } from '../../lib/moderation';
import { alreadyModerated, formatDay, hrefFor, merge, redactionProblem, tabFrom, textFrom, textHref } from './queue';

describe('moderation queue', () => {
  it('keeps the tab in the address, waiting texts by default', () => {
    expect(tabFrom('')).toBe('pending');
    expect(tabFrom('?state=rejected')).toBe('rejected');
    expect(tabFrom('?state=redacted')).toBe('approved');
    expect(tabFrom('?state=everything')).toBe('pending');
    expect(tabFrom(new URL(`http://x${hrefFor('approved')}`).search)).toBe('approved');
    expect(hrefFor('pending')).toBe('/staff/moderation');
  });

  it('lists approved and redacted texts together, oldest day first', () => {
    const text = (id: string, day: string, state: FeedbackText['state']): FeedbackText => ({
      id, day, state, site_id: 's', body: id, may_quote: true, moderated_by: null, moderated_on: null,
    });
    const merged = merge([
      [text('a2', '2025-03-02', 'approved'), text('a5', '2025-03-05', 'approved')],
      [text('r1', '2025-03-01', 'redacted'), text('r3', '2025-03-02', 'redacted')],
    ]);
    expect(merged.map((t) => t.id)).toEqual(['r1', 'a2', 'r3', 'a5']);
  });

  it('knows when someone else moderated a text first', () => {
    expect(alreadyModerated(new ApiError(400, 'invalid_input', 'x', { state: 'this text was already moderated (approved)' }))).toBe(true);
    expect(alreadyModerated(new ApiError(400, 'invalid_input', 'x', { body: 'must be 1 to 1000 characters' }))).toBe(false);
    expect(alreadyModerated(new Error('state'))).toBe(false);
  });

  it('shows a day as that calendar day, whatever the time zone', () => {
    expect(formatDay('2025-03-04', 'en-US')).toBe('Mar 4, 2025');
    expect(formatDay('2025-01-01', 'es')).toContain('2025');
    expect(formatDay('soon', 'en')).toBe('soon');
  });

  it('sends a redaction only when words were taken out and some are left', () => {
    const original = 'Ask Maria at the van about [removed].';
    expect(redactionProblem(original, '  ')).toBe('staff.moderation.redact.empty');
    expect(redactionProblem(original, ` ${original} `)).toBe('staff.moderation.redact.unchanged');
    expect(redactionProblem(original, 'x'.repeat(1001))).toBe('staff.moderation.redact.tooLong');
    expect(redactionProblem(original, 'Ask [name] at the van about [removed].')).toBeUndefined();
  });
});

describe('one text from an alert', () => {
  it('has its own address, read back from the query', () => {
    expect(textHref('01J0ABC')).toBe('/staff/moderation?text=01J0ABC');
    expect(textFrom(new URL(textHref('01J0ABC'), 'http://x').search)).toBe('01J0ABC');
    expect(textFrom('?state=approved')).toBeNull();
    expect(textFrom('?text=')).toBeNull();
  });
});
