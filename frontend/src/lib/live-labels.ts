/** The words for a live round's options: agree's three answers are translated, the rest are shown as written. */
import { defaultLang, isLang, t, type BaseKey } from './i18n';
import { tr } from './i18n/lang.svelte';
import type { RoundKind } from './live';

const agreeLabels: Record<string, BaseKey> = {
  agree: 'live.agree.agree',
  disagree: 'live.agree.disagree',
  unsure: 'live.agree.unsure',
};

export function optionLabel(kind: RoundKind, option: string): string {
  const key = kind === 'agree' ? agreeLabels[option] : undefined;
  return key ? tr(key) : option;
}

/** The comment question a facilitator may add after a member check, in the meeting's language. */
export function commentFollowUp(language: string | undefined): string {
  return t('live.comment.followUp', isLang(language) ? language : defaultLang);
}

/** A member-check round's question, in the meeting's language like the finding's statement it asks about. */
export function memberCheckQuestion(language: string | undefined): string {
  return t('live.check.question', isLang(language) ? language : defaultLang);
}
