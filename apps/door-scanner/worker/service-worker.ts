/**
 * The scanner page's service worker (served at /scan/sw.js, scope /scan): keeps the page's shell
 * (the HTML, script, stylesheet, manifest and icons) in a cache named after the build, so `/scan`
 * opens without a network after a reload or a browser restart. What the page decided offline (the
 * snapshot, the queue, its own record) is kept by the page itself, in localStorage and IndexedDB
 * (device.ts).
 *
 * A new build is a new worker (its version differs): it caches the new shell, takes over at once and
 * drops the old cache; the page reloads itself onto it (main.ts), its queue untouched. Calls to the
 * API never go through the cache: only the shell's own files are answered from here.
 */
/** The build's hash and the shell's files (scripts/build-web.mjs). */
declare const SHELL_VERSION: string;
declare const SHELL_FILES: string[];

const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `einlass-scan-${SHELL_VERSION}`;
const PAGE = '/scan';

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // past the browser's HTTP cache: the shell of exactly this build
      await cache.addAll(SHELL_FILES.map((url) => new Request(url, { cache: 'reload' })));
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith('einlass-scan-') && name !== CACHE) await caches.delete(name);
      }
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== worker.location.origin) return;
  const path = url.pathname === `${PAGE}/` ? PAGE : url.pathname;
  // only the shell's files; everything else (the API above all) goes to the network as usual
  if (!SHELL_FILES.includes(path)) return;
  event.respondWith(
    (async () => {
      const cached = await caches.match(path, { cacheName: CACHE });
      return cached ?? fetch(request);
    })(),
  );
});
