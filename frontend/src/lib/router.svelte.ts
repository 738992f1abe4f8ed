/**
 * A tiny client-side router on location.pathname (and, for pages that keep
 * state in the address, location.search). The server answers every unknown
 * path with index.html, so any app path can be loaded directly; same-origin
 * link clicks are handled here without a page load.
 */
import { isServerPath, normalizePath } from '../routes/paths';

let current = $state(typeof location === 'undefined' ? '/' : normalizePath(location.pathname));
let search = $state(typeof location === 'undefined' ? '' : location.search);

/** The reactive current path and query: read `router.path` or `router.search` in a component to follow navigation. */
export const router = {
  get path(): string {
    return current;
  },
  /** The query string with its leading "?", or "" when there is none. */
  get search(): string {
    return search;
  },
};

/** Goes to an app path, adding a history entry unless replace is set. */
export function navigate(to: string, { replace = false } = {}): void {
  const url = new URL(to, location.href);
  if (url.origin !== location.origin || isServerPath(url.pathname)) {
    location.assign(url);
    return;
  }
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  current = normalizePath(url.pathname);
  search = url.search;
}

/** Listens for back/forward and link clicks; returns the function that stops listening. */
export function startRouter(): () => void {
  const onPopState = () => {
    current = normalizePath(location.pathname);
    search = location.search;
  };
  const onClick = (event: MouseEvent) => {
    const url = appLinkTarget(event);
    if (!url) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  };
  window.addEventListener('popstate', onPopState);
  document.addEventListener('click', onClick);
  return () => {
    window.removeEventListener('popstate', onPopState);
    document.removeEventListener('click', onClick);
  };
}

/** The URL of an in-app link the router should handle for this click, or undefined to let the browser act. */
function appLinkTarget(event: MouseEvent): URL | undefined {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return undefined;
  }
  const anchor = event.target instanceof Element ? event.target.closest('a') : null;
  if (!anchor || !anchor.href || anchor.hasAttribute('download')) return undefined;
  if (anchor.target && anchor.target !== '_self') return undefined;
  const url = new URL(anchor.href);
  if (url.origin !== location.origin || isServerPath(url.pathname)) return undefined;
  // An in-page anchor such as the skip link: the browser scrolls and moves focus itself.
  if (url.pathname === location.pathname && url.search === location.search && url.hash) return undefined;
  return url;
}
