import { describe, expect, it } from 'vitest';
import { proposalsKey, readProposals, storeProposals } from './proposal-cache';
import { keptKeys } from './wipe';

describe('the kiosk’s copy of the open proposals', () => {
  const storage = () => {
    const items = new Map<string, string>();
    return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
  };

  it('reads back what it stored', () => {
    const s = storage();
    const proposals = [{ id: 'p1', title: { en: 'Evening hours' }, description: { en: 'Until 8.' } }];
    storeProposals(s, proposals);
    expect(readProposals(s)).toEqual(proposals);
  });

  it('gives none for nothing stored or something broken', () => {
    const s = storage();
    expect(readProposals(s)).toEqual([]);
    s.setItem(proposalsKey, '{not json');
    expect(readProposals(s)).toEqual([]);
    s.setItem(proposalsKey, JSON.stringify([{ id: 3 }, null, { id: 'ok', title: { en: 'x' }, description: {} }]));
    expect(readProposals(s).map((p) => p.id)).toEqual(['ok']);
    expect(readProposals(undefined)).toEqual([]);
  });

  it('survives the reset between participants', () => {
    expect(keptKeys).toContain(proposalsKey);
  });
});
