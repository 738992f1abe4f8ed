import { describe, expect, it } from 'vitest';
import { translate } from '../kiosk/words';
import { proposalLines } from './read';

describe('proposalLines', () => {
  const proposal = {
    title: { en: 'Evening hours', es: 'Horario de tarde' },
    description: { en: 'Open until 8 on Thursdays.', es: 'Abrir hasta las 8 los jueves.' },
    status: 'accepted' as const,
    updates: [{ status: 'accepted' as const, body: { en: 'Yes, from May.', es: 'Sí, desde mayo.' }, day: '2026-04-02' }],
  };

  it('reads the title, the status in words, the description and each dated update, all in one language', () => {
    const lines = proposalLines(proposal, 'es', translate);
    expect(lines.map((l) => l.text)).toEqual([
      'Horario de tarde',
      translate('kiosk.status.accepted', 'es'),
      'Abrir hasta las 8 los jueves.',
      translate('kiosk.proposal.updates', 'es'),
      expect.stringContaining(translate('kiosk.status.accepted', 'es')),
      'Sí, desde mayo.',
    ]);
    expect(lines.every((l) => l.lang === 'es')).toBe(true);
    expect(lines[4]!.text).toContain('2026');
  });

  it('leaves out what is empty', () => {
    const lines = proposalLines({ ...proposal, description: { en: '' }, updates: [] }, 'en', translate);
    expect(lines.map((l) => l.text)).toEqual(['Evening hours', translate('kiosk.status.accepted', 'en')]);
  });
});
