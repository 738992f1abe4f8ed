/**
 * The current language, shared by every page. The choice is kept in
 * localStorage so a reload keeps it; nothing else about the person is stored.
 * The kiosk turns that off (rememberLanguage(false)): a participant's choice
 * of language must not outlive their visit.
 */
import { defaultLang, isLang, matchLang, t as translate, type Lang, type MessageKey, type MessageParams } from './index';

const storageKey = 'chorus.lang';

function initialLang(): Lang {
  if (typeof window === 'undefined') return defaultLang;
  try {
    const stored = window.localStorage.getItem(storageKey);
    if (isLang(stored)) return stored;
  } catch {
    // Storage can be disabled (private mode, kiosk lockdown); fall back to the browser's preference.
  }
  return matchLang(navigator.languages ?? [navigator.language]);
}

let current = $state<Lang>(initialLang());
let remember = true;

/** Keeps (true, the default) or stops keeping later language choices in localStorage. */
export function rememberLanguage(on: boolean): void {
  remember = on;
}

/** The reactive language store: read `i18n.lang` in a component to re-render when it changes. */
export const i18n = {
  get lang(): Lang {
    return current;
  },
  set lang(next: Lang) {
    current = next;
    if (!remember) return;
    try {
      window.localStorage.setItem(storageKey, next);
    } catch {
      // Not remembered across reloads; the switch still works for this visit.
    }
  },
};

/** Translates key into the current language; reactive inside components. */
export function tr(key: MessageKey, params?: MessageParams): string {
  return translate(key, current, params);
}
