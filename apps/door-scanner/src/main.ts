/**
 * The door staff's scanner page (`GET /scan`): sign in once with a door token, pick event, gate,
 * list and direction, then scan with a handheld scanner (types the code and Enter) or the camera.
 * Works offline from the scan snapshot and sends the queued scans when the network returns.
 */
import { otherLang } from '@einlass/web-ui';
import { settings, device, loadSnapshot, saveSettings, words } from './device';
import { setOnline, refreshSnapshot, syncQueue } from './sync';
import { $ } from './dom';
import { startOfflineApp } from './offline-app';
import { renderSignIn } from './screens/sign-in';
import { renderDoor } from './screens/door';
import { renderScan, focusScanner, stopCamera } from './screens/scan';

const REFRESH_MS = 30_000;
const RETRY_MS = 5_000;

function renderLanguage(): void {
  const w = words();
  document.documentElement.lang = settings.lang;
  document.title = w.appTitle;
  $('lang').textContent = w.language;
}

function rerender(): void {
  renderLanguage();
  if (device.screen === 'signin') renderSignIn();
  else if (device.screen === 'door') renderDoor();
  else renderScan();
}

// ---------------------------------------------------------------------------------------------
// Start.

async function start(): Promise<void> {
  // the worker first: the page's files are kept whatever the storage does
  startOfflineApp();
  renderLanguage();
  // The stored snapshot (IndexedDB, several MB for a large event) before any screen and before
  // anything that could fetch a newer one.
  device.snapshot = await loadSnapshot(settings.slug);

  $('lang').addEventListener('click', () => {
    settings.lang = otherLang(settings.lang);
    saveSettings();
    $('search').hidden = true;
    rerender();
  });
  $('door-summary').addEventListener('click', () => {
    if (device.screen === 'scan') {
      stopCamera();
      renderDoor();
    }
  });
  // A handheld scanner is a keyboard: whatever is typed outside a field goes to the scan field.
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    if (device.screen !== 'scan' || target?.closest('input, select, textarea')) return;
    if (event.key.length === 1 || event.key === 'Enter') focusScanner();
  });
  document.addEventListener('focusout', () => setTimeout(focusScanner, 0));
  document.addEventListener('click', (event) => {
    if (!(event.target as HTMLElement).closest('input, select, button, textarea, a'))
      setTimeout(focusScanner, 0);
  });
  window.addEventListener('online', () => {
    setOnline(true);
    void syncQueue().then(() => refreshSnapshot().catch(() => setOnline(false)));
  });
  window.addEventListener('offline', () => setOnline(false));
  setInterval(() => {
    if (!settings.token || !device.snapshot || !navigator.onLine) return;
    if (device.online) void refreshSnapshot().catch(() => setOnline(false));
  }, REFRESH_MS);
  setInterval(() => {
    if (!settings.token || !device.snapshot || !navigator.onLine) return;
    if (!device.online || device.queue.length > 0) {
      if (device.queue.length > 0) void syncQueue();
      else
        void refreshSnapshot().then(
          () => setOnline(true),
          () => setOnline(false),
        );
    }
  }, RETRY_MS);

  if (settings.token && settings.slug && device.snapshot && settings.gate) {
    renderScan();
    void refreshSnapshot()
      .then(() => setOnline(true))
      .catch(() => setOnline(false));
    void syncQueue();
  } else if (settings.token && settings.slug && device.snapshot) {
    renderDoor();
  } else {
    renderSignIn();
  }
}

void start();
