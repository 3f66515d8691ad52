/**
 * The page as an installable offline app: the service worker (apps/door-scanner/worker) keeps the
 * page's files, so `/scan` opens without a network after a reload or a browser restart; what the
 * device decided and queued is in the browser's storage (device.ts: localStorage, and IndexedDB
 * for the snapshot) and survives it too.
 *
 * A new version of the page (a new build on the server) is looked for when the network is there;
 * once its worker has taken over, the page reloads onto it. The queue stays where it is: scans
 * being sent at that moment are sent again with the same nonces, and recorded once.
 */
const UPDATE_CHECK_MS = 5 * 60_000;

export function startOfflineApp(): void {
  if (!('serviceWorker' in navigator)) return;
  // the first worker taking over an open page is no new version: reload only on a replacement
  let current = navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    const previous = current;
    current = navigator.serviceWorker.controller;
    if (previous) window.location.reload();
  });
  navigator.serviceWorker
    .register('/scan/sw.js', { scope: '/scan', updateViaCache: 'none' })
    .then((registration) => {
      const lookForUpdate = () => {
        if (navigator.onLine) registration.update().catch(() => undefined);
      };
      window.addEventListener('online', lookForUpdate);
      setInterval(lookForUpdate, UPDATE_CHECK_MS);
    })
    .catch(() => {
      // no worker (a browser that refuses it, plain HTTP to another host): the page works while
      // the tab lives, as before
    });
}
