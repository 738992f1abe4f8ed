import { describe, expect, it } from 'vitest';
import { interpolate, isLang, languages, matchLang, t } from './index';
import './kiosk';
import './staff';

// Every dictionary file here and in sub-folders (one folder per set of words), so a new language or set is checked the day its file appears.
const files = import.meta.glob<Record<string, string>>('./**/*.json', { eager: true, import: 'default' });
/** Dictionaries by set ("." for the words every page has, "staff"…), then by language. */
const sets: Record<string, Record<string, Record<string, string>>> = {};
for (const [path, messages] of Object.entries(files)) {
  const [, folder = '', lang = ''] = /^\.\/(?:(.*)\/)?([^/]+)\.json$/.exec(path) ?? [];
  (sets[folder || '.'] ??= {})[lang] = messages;
}
const dictionaries = sets['.']!;
const english = dictionaries.en!;

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
}

describe('translation files', () => {
  it('finds the words every page has, the kiosk flow\'s and the staff tools\' words', () => {
    expect(Object.keys(sets).sort()).toEqual(['.', 'kiosk', 'staff']);
  });

  it('no key is in two sets', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [set, byLang] of Object.entries(sets)) {
      for (const key of Object.keys(byLang.en ?? {})) {
        if (seen.has(key)) twice.push(`${key} in ${seen.get(key)} and ${set}`);
        seen.set(key, set);
      }
    }
    expect(twice).toEqual([]);
  });

  for (const [set, byLang] of Object.entries(sets)) {
    const reference = byLang.en ?? {};

    it(`${set}: has a dictionary for every language in the switch, and a switch entry for every dictionary`, () => {
      expect(Object.keys(byLang).sort()).toEqual(languages.map((language) => language.code).sort());
    });

    for (const [lang, messages] of Object.entries(byLang)) {
      it(`${set}/${lang} has exactly the English keys`, () => {
        const missing = Object.keys(reference).filter((key) => !(key in messages));
        const extra = Object.keys(messages).filter((key) => !(key in reference));
        expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      });

      it(`${set}/${lang} has no empty messages and the same {placeholders} as English`, () => {
        for (const [key, message] of Object.entries(messages)) {
          expect(typeof message === 'string' && message.trim() !== '', `${lang}:${key} is empty`).toBe(true);
          if (key in reference) {
            expect(placeholders(message), `${lang}:${key} placeholders`).toEqual(placeholders(reference[key]!));
          }
        }
      });
    }
  }
});

// Screens a participant reads (docs: shared LANGUAGE.md): short sentences, under 15 words each.
const participantKeys = /^(app|common|lang|home|kiosk|live|screen|notFound)\./;
const maxWords = 14;

describe('plain language', () => {
  for (const [path, messages] of Object.entries(files)) {
    it(`${path} keeps participant sentences under 15 words`, () => {
      const long = Object.entries(messages)
        .filter(([key]) => participantKeys.test(key))
        .flatMap(([key, message]) =>
          message
            .split(/(?<=[.!?])\s+/)
            .filter((sentence) => sentence.split(/\s+/).filter(Boolean).length > maxWords)
            .map((sentence) => `${key}: ${sentence}`),
        );
      expect(long).toEqual([]);
    });
  }
});

describe('t', () => {
  it('returns the message in the chosen language', () => {
    expect(t('home.title', 'en')).toBe(english['home.title']);
    expect(t('home.title', 'es')).toBe(dictionaries.es!['home.title']);
    expect(t('home.title', 'es')).not.toBe(t('home.title', 'en'));
  });

  it('knows the kiosk flow\'s words once ./kiosk is loaded', () => {
    expect(t('kiosk.needs.title', 'en')).toBe(sets.kiosk!.en!['kiosk.needs.title']);
    expect(t('kiosk.needs.title', 'es')).toBe(sets.kiosk!.es!['kiosk.needs.title']);
  });

  it('knows the staff words once ./staff is loaded', () => {
    expect(t('staff.signOut', 'en')).toBe(sets.staff!.en!['staff.signOut']);
    expect(t('staff.signOut', 'es')).toBe(sets.staff!.es!['staff.signOut']);
  });

  it('ignores params a message does not use', () => {
    expect(t('app.name', 'en', { unused: 1 })).toBe('Chorus');
  });
});

describe('interpolate', () => {
  it('fills placeholders and leaves unknown ones as written', () => {
    expect(interpolate('{count} of {total} answered', { count: 3, total: 5 })).toBe('3 of 5 answered');
    expect(interpolate('Hello {name}', {})).toBe('Hello {name}');
    expect(interpolate('{constructor}', {})).toBe('{constructor}');
  });
});

describe('matchLang', () => {
  it('takes the first supported primary subtag', () => {
    expect(matchLang(['fr-FR', 'es-MX', 'en-US'])).toBe('es');
    expect(matchLang(['EN-gb'])).toBe('en');
  });

  it('falls back to English', () => {
    expect(matchLang([])).toBe('en');
    expect(matchLang(['de'])).toBe('en');
  });

  it('isLang accepts only known codes', () => {
    expect(isLang('es')).toBe(true);
    expect(isLang('toString')).toBe(false);
    expect(isLang(null)).toBe(false);
  });
});
