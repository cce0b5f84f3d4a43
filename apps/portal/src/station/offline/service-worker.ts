/**
 * Registers the portal's service worker (built from apps/portal/sw/service-worker.js by the vite
 * config): it keeps the app shell — index.html and the hashed assets — so the station's screens
 * open without a link. It never caches API answers: patient data stays out of its caches.
 */
export function registerStationWorker(): void {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
}
