/** Path helpers shared by the route table and the router; free of DOM and components so they are easy to test. */

/** Paths the Go server answers itself; the client-side router must let the browser load them. */
const serverPrefixes = ['/api/', '/healthz', '/readyz', '/metrics'];

/** Canonical form of a pathname: one leading slash, no repeated or trailing slashes. */
export function normalizePath(pathname: string): string {
  const trimmed = pathname.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** Reports whether pathname belongs to the server rather than to the single-page app. */
export function isServerPath(pathname: string): boolean {
  return serverPrefixes.some((prefix) => pathname === prefix.replace(/\/$/, '') || pathname.startsWith(prefix));
}

/**
 * The page to return to after sign-in: an app path on this origin taken from
 * `?next=`, or /staff for anything else (another site, a protocol-relative
 * "//host", a server path), so the parameter cannot send anyone away.
 */
export function safeNext(next: string | null | undefined, fallback = '/staff'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return fallback;
  let url: URL;
  try {
    url = new URL(next, 'http://app.invalid');
  } catch {
    return fallback;
  }
  if (url.origin !== 'http://app.invalid' || isServerPath(url.pathname)) return fallback;
  return normalizePath(url.pathname) + url.search + url.hash;
}
