/// <reference lib="webworker" />
/**
 * The service worker of the enumerator app: keeps the app's own files (the shell) in a cache so
 * the app opens with no network at all. API calls are never cached; the app keeps its data in
 * IndexedDB. The build writes in the file list and a version that changes with any file, so a new
 * build replaces the cache as a whole.
 */
declare const __SHELL_FILES__: string[];
declare const __SHELL_VERSION__: string;

const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `sipas-shell-${__SHELL_VERSION__}`;
const INDEX = '/app/index.html';

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(__SHELL_FILES__))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('sipas-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== worker.location.origin || !url.pathname.startsWith('/app/')) return;
  // Every page of the app is the same shell; the cached copy answers at once, online or not.
  const key = event.request.mode === 'navigate' ? INDEX : url.pathname;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => (await cache.match(key)) ?? fetch(event.request)),
  );
});
