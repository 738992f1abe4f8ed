import { describe, expect, it } from 'vitest';
import { bandLabel } from './words';
import { keptKeys, wipeStorage } from './wipe';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

describe('wipeStorage', () => {
  it('keeps only the device token, test timings, language and open proposals; empties session storage', () => {
    const local = new MemoryStorage();
    const session = new MemoryStorage();
    for (const key of keptKeys) local.setItem(key, 'kept');
    local.setItem('draft', 'my words');
    local.setItem('another', 'x');
    session.setItem('draft', 'my words');
    wipeStorage(local, session);
    expect([...Array(local.length)].map((_, i) => local.key(i)).sort()).toEqual([...keptKeys].sort());
    expect(session.length).toBe(0);
  });
});

describe('bandLabel', () => {
  // The server's bands (internal/catalog/defaults.go): each needs words in every language.
  const bands: Record<string, string[]> = {
    age_band: ['under_25', '25_34', '35_44', '45_54', '55_plus'],
    gender: ['woman', 'man', 'nonbinary', 'another'],
    race_ethnicity: ['black', 'latino', 'white', 'asian', 'native', 'multiple', 'another'],
    housing: ['stable', 'unstable', 'unhoused'],
  };

  it('has words for every band the server knows, in English and Spanish', () => {
    for (const [question, codes] of Object.entries(bands)) {
      for (const code of codes) {
        for (const lang of ['en', 'es'] as const) expect(bandLabel(question, code, lang), `${lang}:${question}.${code}`).not.toBe(code);
      }
    }
  });

  it('shows the code of a band it does not know yet', () => {
    expect(bandLabel('housing', 'new_band', 'en')).toBe('new_band');
  });
});
