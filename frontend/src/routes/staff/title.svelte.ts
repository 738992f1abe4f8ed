/**
 * The document title for a staff page whose name lives in the staff
 * dictionaries. The app sets the title before a page's chunk (and so the
 * staff words) has loaded; this sets it again once they are there, and on
 * every change of language. Call it while a component initializes.
 */
import type { MessageKey } from '../../lib/i18n';
import { tr } from '../../lib/i18n/lang.svelte';

export function staffTitle(key: MessageKey): void {
  $effect(() => {
    document.title = `${tr(key)} – ${tr('app.name')}`;
  });
}
