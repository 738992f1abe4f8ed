import { describe, expect, it } from 'vitest';
import { t } from './i18n';
import './i18n/kiosk';
import './i18n/staff';
import {
  days,
  mayNote,
  missingLangs,
  needSummaries,
  newProposalHref,
  nextMoves,
  normalizeReceipt,
  overdueCount,
  percent,
  prefillFrom,
  proposalStatuses,
  recentMonths,
  type Evidence,
} from './proposals';
import { countWords, originWords, publicStatusWords, statusWords } from './proposals-words';

describe('the lifecycle', () => {
  it('allows exactly the moves of the contract, and none out of done or declined', () => {
    expect(nextMoves).toEqual({
      draft: ['open'],
      open: ['under_review', 'declined'],
      under_review: ['accepted', 'declined'],
      accepted: ['in_progress', 'done', 'declined'],
      in_progress: ['done'],
      done: [],
      declined: [],
    });
  });

  it('takes a progress note on anything but a draft', () => {
    expect(proposalStatuses.filter(mayNote)).toEqual(['open', 'under_review', 'accepted', 'in_progress', 'done', 'declined']);
  });
});

describe('words', () => {
  it('has staff and participant words for every status and origin, in English and Spanish', () => {
    for (const lang of ['en', 'es'] as const) {
      for (const key of [...Object.values(statusWords), ...Object.values(originWords), ...Object.values(publicStatusWords)]) {
        expect(t(key, lang), `${lang}:${key}`).not.toBe(key);
      }
    }
  });

  it('shows a kept-back count as "fewer than k", and an exact one as its number', () => {
    const tr = (key: Parameters<typeof t>[0], params?: Record<string, string | number>) => t(key, 'en', params);
    expect(countWords(null, 11, tr)).toBe('fewer than 11');
    expect(countWords(0, 11, tr)).toBe('0');
    expect(countWords(3, 11, tr)).toBe('3');
  });
});

describe('missingLangs', () => {
  it('names each language still blank', () => {
    expect(missingLangs({ en: 'Yes', es: '  ' })).toEqual(['es']);
    expect(missingLangs({})).toEqual(['en', 'es']);
    expect(missingLangs({ en: 'a', es: 'b' })).toEqual([]);
  });
});

describe('normalizeReceipt', () => {
  it('takes a code typed any way and sends XXX-XXX', () => {
    expect(normalizeReceipt('k7m3qx')).toBe('K7M-3QX');
    expect(normalizeReceipt(' K7M - 3QX ')).toBe('K7M-3QX');
    expect(normalizeReceipt('K7M-3Q')).toBeUndefined();
    expect(normalizeReceipt('K7M-3QX!')).toBeUndefined();
  });
});

describe('the new-proposal form, prefilled from evidence', () => {
  it('round-trips a need at a site, and an approved comment', () => {
    const cases: Evidence[] = [
      { kind: 'need', code: 'housing', site_id: 's1' },
      { kind: 'need', code: 'food', site_id: null },
      { kind: 'feedback_text', id: 't9' },
      { kind: 'live_round', id: 'r2' },
    ];
    for (const evidence of cases) {
      const href = newProposalHref(evidence);
      expect(href.startsWith('/staff/proposals/new?')).toBe(true);
      const prefill = prefillFrom(href.slice(href.indexOf('?')));
      expect(prefill.evidence).toEqual([evidence]);
      expect(prefill.origin).toBe('participants');
    }
    expect(prefillFrom('?need=housing&site_id=s1')).toMatchObject({ needs: ['housing'], site_ids: ['s1'] });
  });

  it('leaves the origin to the form when there is no evidence', () => {
    expect(prefillFrom('')).toEqual({ origin: undefined, needs: [], site_ids: [], evidence: [] });
  });
});

describe('needSummaries', () => {
  it('reads the rows the server sends (one per site and need) with the labels beside them', () => {
    const needs = needSummaries({
      submissions: 9,
      needs: [
        { site_id: 's1', code: 'housing', chosen: 4, points: 9 },
        { site_id: 's2', code: 'housing', chosen: 3, points: 2 },
        { site_id: 's1', code: 'food', chosen: 1, points: 0 },
      ],
      labels: { housing: { en: 'Housing and shelter', es: 'Vivienda y refugio' }, food: { en: 'Food', es: 'Comida' } },
    });
    expect(needs.map((n) => [n.code, n.count, n.points, n.label?.es])).toEqual([
      ['housing', 7, 11, 'Vivienda y refugio'],
      ['food', 1, 0, 'Comida'],
    ]);
  });

  it('reads needs with their sites, most chosen first', () => {
    const needs = needSummaries({
      needs: [
        { code: 'food', count: 2, points: 3, sites: [{ site_id: 's1', name: 'Van', count: 2, points: 3 }] },
        { code: 'housing', count: 5, points: 9, sites: [{ site_id: 's1', name: 'Van', count: 5, points: 9 }] },
      ],
    });
    expect(needs.map((n) => [n.code, n.count, n.points])).toEqual([
      ['housing', 5, 9],
      ['food', 2, 3],
    ]);
    expect(needs[0]!.sites).toEqual([{ site_id: 's1', name: 'Van', count: 5, points: 9 }]);
  });

  it('reads (need, site) rows too, adding them up per need', () => {
    const needs = needSummaries({
      needs: [
        { code: 'housing', site_id: 's1', site_name: 'Van', count: 2, points: 4 },
        { code: 'housing', site_id: 's2', site_name: 'Storefront', count: 1, points: 3 },
        { code: 'food', site_id: 's1', count: 1 },
      ],
    });
    expect(needs.map((n) => [n.code, n.count, n.points, n.sites.length])).toEqual([
      ['housing', 3, 7, 2],
      ['food', 1, 0, 1],
    ]);
  });

  it('gives an empty list for an empty or unexpected answer', () => {
    expect(needSummaries({ needs: null })).toEqual([]);
    expect(needSummaries(undefined)).toEqual([]);
  });
});

describe('figures', () => {
  it('counts overdue proposals whether listed or counted', () => {
    expect(overdueCount({ overdue: [{ id: 'a', days_waiting: 40 }] })).toBe(1);
    expect(overdueCount({ overdue: 3 })).toBe(3);
    expect(overdueCount({})).toBe(0);
    expect(overdueCount({ overdue_count: 2, overdue: null })).toBe(2);
  });

  it('writes shares as whole percentages in the reader’s language', () => {
    expect(percent(64.3, 'en')).toBe('64%');
    expect(percent(null, 'en')).toBe('—');
    expect(percent(71.4, 'es')).toMatch(/^71\s?%$/);
  });

  it('writes a median of days with at most one decimal', () => {
    expect(days(6.5, 'en')).toBe('6.5');
    expect(days(6.5, 'es')).toBe('6,5');
    expect(days(12, 'en')).toBe('12');
  });

  it('offers the last months, newest first', () => {
    expect(recentMonths(new Date(Date.UTC(2026, 1, 15)), 3)).toEqual(['2026-02', '2026-01', '2025-12']);
  });
});
