/**
 * Translations: one flat dictionary per language. English is the reference;
 * every other dictionary must have exactly its keys (a unit test enforces it,
 * and the `Record<MessageKey, string>` annotations below make a missing key a
 * type error too).
 */
import en from './en.json';
import es from './es.json';

/** A key of the English dictionary, e.g. "home.title". */
export type MessageKey = keyof typeof en;

/** The languages Chorus speaks, each named in its own language for the switch. */
export const languages = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
] as const;

export type Lang = (typeof languages)[number]['code'];

export const defaultLang: Lang = 'en';

const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, es };

/** Values substituted for `{name}` placeholders in a message. */
export type MessageParams = Record<string, string | number>;

/** Reports whether value names a language Chorus has a dictionary for. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && Object.hasOwn(dictionaries, value);
}

/**
 * Returns the message for key in lang, with `{name}` placeholders filled from
 * params. A message missing at run time falls back to English, then to the key,
 * so a screen never goes blank.
 */
export function t(key: MessageKey, lang: Lang, params?: MessageParams): string {
  const message = dictionaries[lang]?.[key] ?? dictionaries[defaultLang][key] ?? key;
  return params ? interpolate(message, params) : message;
}

/** Replaces each `{name}` in message with params.name; a placeholder without a value stays as written. */
export function interpolate(message: string, params: MessageParams): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * Picks the first of the browser's preferred languages that Chorus speaks,
 * matching on the primary subtag ("es-MX" → "es").
 */
export function matchLang(preferred: readonly string[]): Lang {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (isLang(primary)) return primary;
  }
  return defaultLang;
}
