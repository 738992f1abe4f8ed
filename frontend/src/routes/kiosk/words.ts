/** Looking up the kiosk's words by language, for the speaker (which reads each language's own words) and for answer bands. */
import '../../lib/i18n/kiosk';
import { hasMessage, t, type KioskKey, type Lang } from '../../lib/i18n';

/** A kiosk message in a given language (rather than the current one). */
export function translate(key: KioskKey, lang: Lang, params?: Record<string, string | number>): string {
  return t(key, lang, params);
}

/** The words for an answer band, e.g. ("housing", "stable") → "I have a stable place"; the code itself for a band this app does not know yet. */
export function bandLabel(question: string, code: string, lang: Lang): string {
  const key = `kiosk.about.${question}.${code}`;
  return hasMessage(key, lang) ? t(key as KioskKey, lang) : code;
}
