/*
 * Chorus's service worker: the kiosk keeps working with no network.
 *
 * - The app shell (index.html and every hashed file the build wrote) is
 *   precached at install, under a cache named for this build; the build
 *   (vite.config.ts, chorusServiceWorker) fills in BUILD and PRECACHE below.
 * - Page loads try the network for a few seconds, then fall back to the
 *   cached index.html (the client-side router does the rest).
 * - Hashed assets come from the cache first.
 * - Of the API, only GET /api/v1/kiosk/config, /kiosk/board and /kiosk/proposals are
 *   cached: network first, the last good copy when offline. Nothing else
 *   under /api/ is touched, and no request other than GET ever is.
 *
 * Written by hand on purpose: it is short, and a generator would bring a
 * large build-time dependency tree for the same few rules.
 */
/* eslint-env serviceworker */
const BUILD = 'dev';
const PRECACHE = [];

const SHELL_CACHE = `chorus-shell-${BUILD}`;
const API_CACHE = 'chorus-api-v1';
const CACHED_API = new Set(['/api/v1/kiosk/config', '/api/v1/kiosk/board', '/api/v1/kiosk/proposals']);
const SERVER_PATHS = ['/api/', '/healthz', '/readyz', '/metrics'];
/** How long a page load or cached API call waits for the network before the cached copy is used. */
const NETWORK_TIMEOUT_MS = 4000;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // cache: 'reload' skips the HTTP cache, so the shell is what the server has now.
      await cache.addAll(PRECACHE.map((url) => new Request(url, { cache: 'reload' })));
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith('chorus-shell-') && name !== SHELL_CACHE).map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;

  if (CACHED_API.has(url.pathname)) {
    event.respondWith(networkFirst(request, API_CACHE, url.pathname));
    return;
  }
  if (SERVER_PATHS.some((prefix) => url.pathname === prefix.replace(/\/$/, '') || url.pathname.startsWith(prefix))) {
    return;
  }
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
    return;
  }
  if (PRECACHE.includes(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});

/** A page load: the network if it answers in time, else the precached index.html. */
async function page(request) {
  const network = fetch(request);
  network.catch(() => {}); // a late failure after the cache answered is expected, not an error
  try {
    const response = await withTimeout(network, NETWORK_TIMEOUT_MS);
    if (response) return response;
  } catch {
    // Offline: fall through to the cache.
  }
  const cached = await caches.match('/index.html', { cacheName: SHELL_CACHE });
  return cached ?? network;
}

async function cacheFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE });
  return cached ?? fetch(request);
}

/**
 * The network's answer, keeping a copy when it is a success; the copy when
 * the network fails or is slow (and a copy exists); otherwise the network's
 * failure, which the page sees as "offline".
 */
async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  const network = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(key, response.clone());
    return response;
  });
  network.catch(() => {}); // as in page()
  try {
    const response = await withTimeout(network, NETWORK_TIMEOUT_MS);
    if (response) return response;
  } catch {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw new Error('offline, and no copy cached');
  }
  return (await cache.match(key)) ?? network;
}

/** The promise's value, or undefined once ms have passed. */
function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
