/** The words for a live round's options: agree's three answers are translated, the rest are shown as written. */
import type { BaseKey } from './i18n';
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
