/**
 * Translations: flat dictionaries, one file per language. English is the
 * reference; every other language must have exactly its keys (a unit test
 * enforces it, and the `Record<…, string>` annotations make a missing key a
 * type error too).
 *
 * Three sets: `./en.json`, `./es.json`… ship with every page; `./staff/*.json`
 * holds the staff tools' words and loads with the staff pages
 * (`./staff.ts`), so a kiosk tablet never downloads them; `./kiosk/*.json`
 * holds the participant's flow on the kiosk and loads with the kiosk page
 * (`./kiosk.ts`).
 */
import en from './en.json';
import es from './es.json';
import type kioskEn from './kiosk/en.json';
import type staffEn from './staff/en.json';

/** A key of the words every page has, e.g. "home.title". */
export type BaseKey = keyof typeof en;
/** A key of the staff tools' words, loaded with the staff pages. */
export type StaffKey = keyof typeof staffEn;
/** A key of the kiosk's participant flow, loaded with the kiosk page. */
export type KioskKey = keyof typeof kioskEn;
/** Any message key, e.g. "home.title" or "staff.signOut". */
export type MessageKey = BaseKey | StaffKey | KioskKey;

/** The languages Chorus speaks, each named in its own language for the switch. */
export const languages = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
] as const;

export type Lang = (typeof languages)[number]['code'];

export const defaultLang: Lang = 'en';

const base: Record<Lang, Record<BaseKey, string>> = { en, es };
const dictionaries: Record<Lang, Partial<Record<MessageKey, string>>> = { en: { ...base.en }, es: { ...base.es } };

/** Adds a set of words loaded later (e.g. the staff tools'), in every language at once. */
export function addMessages<K extends MessageKey>(messages: Record<Lang, Record<K, string>>): void {
  for (const lang of Object.keys(messages) as Lang[]) Object.assign(dictionaries[lang], messages[lang]);
}

/** Reports whether lang (or English) has a message for key: for keys made at run time, such as an answer band's label. */
export function hasMessage(key: string, lang: Lang): boolean {
  return Object.hasOwn(dictionaries[lang], key) || Object.hasOwn(dictionaries[defaultLang], key);
}

/** Values substituted for `{name}` placeholders in a message. */
export type MessageParams = Record<string, string | number>;

/** Reports whether value names a language Chorus has a dictionary for. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && Object.hasOwn(dictionaries, value);
}

/**
 * Returns the message for key in lang, with `{name}` placeholders filled from
 * params. A message missing at run time falls back to English, then to the key,
 * so a screen never goes blank (staff words before ./staff.ts has loaded show as keys).
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
