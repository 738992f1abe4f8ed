/**
 * For a box that scrolls sideways (a wide table on a phone): while its content
 * is wider than it, the box can take keyboard focus, so arrow keys scroll it,
 * and is named after its table's caption. When everything fits it is a plain
 * box again, so Tab does not stop on it for nothing. Use as `{@attach scrollRegion}`.
 */
export function scrollRegion(node: HTMLElement): () => void {
  const update = () => {
    const name = node.querySelector('caption')?.textContent?.trim();
    if (node.scrollWidth > node.clientWidth) {
      node.tabIndex = 0;
      // A focusable box needs a name; a region is the role that may carry one.
      if (name) {
        node.setAttribute('role', 'region');
        node.setAttribute('aria-label', name);
      }
    } else {
      node.removeAttribute('tabindex');
      node.removeAttribute('role');
      node.removeAttribute('aria-label');
    }
  };
  const observer = new ResizeObserver(update);
  observer.observe(node);
  for (const child of node.children) observer.observe(child);
  update();
  return () => observer.disconnect();
}
