/**
 * A code read (handheld scanner or camera): asked online when the queue is empty, else decided
 * on the device from the snapshot and queued.
 */
import { decideOffline, rememberAnswer, type ScanAnswer } from './offline';
import {
  settings,
  device,
  local,
  saveSettings,
  saveQueue,
  saveLocal,
  type QueuedScan,
} from './device';
import { api, messageOf, setOnline, syncQueue } from './sync';
import { show, renderStatus } from './result';

let busy: Promise<void> = Promise.resolve();

/** Scans are handled one after the other, in the order read. */
export function onCode(text: string): void {
  busy = busy.then(() => scan(text)).catch(() => undefined);
}

async function scan(text: string): Promise<void> {
  const qr = text.trim();
  if (!qr || !device.snapshot) return;
  if (qr.length > 2048) {
    show({ result: 'invalid', message: '', reason: 'malformed' }, false);
    return;
  }
  settings.counter += 1;
  saveSettings();
  const scan: QueuedScan = {
    qr,
    gate: settings.gate,
    list: settings.list,
    direction: settings.direction,
    nonce: `${settings.deviceId}:${settings.counter}`,
    scannedAt: new Date().toISOString(),
    shown: 'invalid',
  };
  if (device.online && navigator.onLine && device.queue.length === 0) {
    try {
      const { scannedAt: _at, shown: _shown, ...body } = scan;
      const response = await api<ScanAnswer>('POST', '/scan', body);
      if (response.status === 200) {
        rememberAnswer(local, scan.list, scan.gate, response.body, new Date());
        saveLocal();
        show(response.body, false);
        return;
      }
      // 429: the token's scan budget is spent (a long queue just synced); decide here, as when
      // offline, and send it with the queue once the budget allows.
      if (response.status !== 429) {
        show(
          { result: 'invalid', message: messageOf(response.body) || `${response.status}` },
          false,
        );
        return;
      }
    } catch {
      setOnline(false);
    }
  }
  const answer = await decideOffline(scan, device.snapshot, local, new Date());
  scan.shown = answer.result;
  device.queue.push(scan);
  saveQueue();
  saveLocal();
  show(answer, true);
  renderStatus();
  if (device.online) void syncQueue();
}
