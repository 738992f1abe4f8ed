import { describe, expect, it } from 'vitest';
import { interpolate, isLang, languages, matchLang, t } from './index';

// Every dictionary file in this folder, so a new language is checked the day its file appears.
const files = import.meta.glob<Record<string, string>>('./*.json', { eager: true, import: 'default' });
const dictionaries = Object.fromEntries(
  Object.entries(files).map(([path, messages]) => [path.replace(/^\.\/(.*)\.json$/, '$1'), messages]),
);
const english = dictionaries.en!;

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!).sort();
}

describe('translation files', () => {
  it('has a dictionary for every language in the switch, and a switch entry for every dictionary', () => {
    expect(Object.keys(dictionaries).sort()).toEqual(languages.map((language) => language.code).sort());
  });

  for (const [lang, messages] of Object.entries(dictionaries)) {
    it(`${lang} has exactly the English keys`, () => {
      const missing = Object.keys(english).filter((key) => !(key in messages));
      const extra = Object.keys(messages).filter((key) => !(key in english));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
    });

    it(`${lang} has no empty messages and the same {placeholders} as English`, () => {
      for (const [key, message] of Object.entries(messages)) {
        expect(typeof message === 'string' && message.trim() !== '', `${lang}:${key} is empty`).toBe(true);
        if (key in english) {
          expect(placeholders(message), `${lang}:${key} placeholders`).toEqual(placeholders(english[key]!));
        }
      }
    });
  }
});

// Screens a participant reads (docs: shared LANGUAGE.md): short sentences, under 15 words each.
const participantKeys = /^(app|common|lang|home|kiosk|live|screen|notFound)\./;
const maxWords = 14;

describe('plain language', () => {
  for (const [lang, messages] of Object.entries(dictionaries)) {
    it(`${lang} keeps participant sentences under 15 words`, () => {
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
