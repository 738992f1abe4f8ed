/**
 * The kiosk's service worker (public/sw.js): registered from the kiosk page
 * only, in production builds only (the dev server has no precache list).
 * Service workers need a secure context: HTTPS, or http://localhost and
 * 127.0.0.1 for development and tests.
 */

/**
 * Registers /sw.js. onControlled runs when a service worker starts to
 * control this page (on the first visit that is after the page has loaded),
 * so the kiosk can fetch its configuration again through the worker, which
 * keeps a copy for offline use.
 */
export function registerServiceWorker(onControlled: () => void): () => void {
  if (!import.meta.env.PROD || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return () => {};
  const container = navigator.serviceWorker;
  const wasControlled = container.controller !== null;
  const onChange = () => {
    if (!wasControlled) onControlled();
  };
  container.addEventListener('controllerchange', onChange);
  container.register('/sw.js', { scope: '/' }).catch(() => {
    // No offline support (an insecure context, or storage turned off); the kiosk still works online.
  });
  return () => container.removeEventListener('controllerchange', onChange);
}
