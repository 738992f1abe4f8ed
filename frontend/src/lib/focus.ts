/** Moving focus where a screen-reader or keyboard user expects it after the page changes under them. */

/**
 * Focuses the page's main heading (made focusable by script, not by Tab), or
 * container itself when it has none, so reading starts at the new page.
 */
export function focusPageStart(container: HTMLElement): void {
  const heading = container.querySelector<HTMLElement>('h1');
  focusWithoutTab(heading ?? container);
}

/** Focuses el, giving it tabindex="-1" first when it is not focusable, so Tab never stops on it. */
export function focusWithoutTab(el: HTMLElement): void {
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus();
}
