/* The Mekong Health portal's service worker (issue 20: the commune station keeps working offline).
 * Built by apps/portal/vite.config.mts, which fills in SHELL (index.html and every hashed asset of
 * the build) and VERSION. It serves the app shell only: navigations fall back to the cached
 * index.html when the network fails, and /assets/* come from the cache. Nothing else is touched —
 * API answers (/fhir, /auth, ...) never pass through here, so no patient data is ever cached by it.
 * Decisions: docs/decisions/024-offline-station.md. */
const VERSION = '__VERSION__';
const SHELL = self.__SHELL__;
const CACHE = `mekong-shell-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith('mekong-shell-') && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    // Network first (a new build is picked up at once); the cached shell when there is no link.
    event.respondWith(
      fetch(request).catch(() =>
        caches
          .open(CACHE)
          .then((cache) => cache.match('/'))
          .then((r) => r || Response.error()),
      ),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/') || url.pathname === '/manifest.webmanifest') {
    // Hashed, immutable files: the cache first.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
