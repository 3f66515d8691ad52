/**
 * The network: calls to check-in with the door token, the snapshot refreshed, and the queue of
 * scans decided offline sent when the network is back (answers that differ become conflicts).
 */
import { decodeTicket } from '@einlass/tickets';
import { type ScanSnapshot } from '@einlass/contracts';
import { pruneLocal, rememberAnswer, type ScanAnswer } from './offline';
import {
  settings,
  device,
  local,
  saveSnapshot,
  saveQueue,
  saveLocal,
  saveConflicts,
  words,
  type QueuedScan,
} from './device';
import { formatTime, renderStatus, renderConflicts } from './result';

/** A scan or a report: the steward waits for it, so a network this slow counts as offline. */
const REQUEST_TIMEOUT_MS = 4_000;
/**
 * The snapshot: about 8 MB for 50,000 people with names, fetched in the background while the page
 * goes on deciding from the one it has; on crowded arena Wi-Fi that takes longer than a scan may.
 */
const SNAPSHOT_TIMEOUT_MS = 120_000;

class NetworkError extends Error {}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<{ status: number; body: T }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(`/api/events/${encodeURIComponent(settings.slug)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${settings.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      cache: 'no-store',
    });
    const type = response.headers.get('content-type') ?? '';
    const payload: unknown = type.includes('json') ? await response.json() : await response.text();
    if (response.status >= 500) throw new NetworkError(`server answered ${response.status}`);
    return { status: response.status, body: payload as T };
  } catch (error) {
    if (error instanceof NetworkError) throw error;
    throw new NetworkError(String(error));
  } finally {
    clearTimeout(timer);
  }
}

export function messageOf(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : '';
}

export function setOnline(value: boolean): void {
  if (device.online === value) return;
  device.online = value;
  renderStatus();
  if (value) void syncQueue();
}

/**
 * Fetches the event's snapshot and keeps it; resolves once it is stored (IndexedDB, device.ts).
 * The device's own record is pruned only after that: a reload between the two must not find
 * the old snapshot beside a record that no longer holds what the new one knew.
 */
export function refreshSnapshot(options: { begunNow?: boolean } = {}): Promise<number> {
  // One download at a time: on a slow network the timers would otherwise start more beside it.
  // `begunNow` (after sending the queue): the snapshot must be asked for after this call, so it
  // holds what was just sent; a download already on its way is followed by one more.
  if (refreshing && options.begunNow) {
    followUp ??= refreshing
      .catch(() => undefined)
      .then(() => {
        followUp = undefined;
        return refreshSnapshot();
      });
    return followUp;
  }
  refreshing ??= fetchSnapshot().finally(() => {
    refreshing = undefined;
  });
  return refreshing;
}

let refreshing: Promise<number> | undefined;
let followUp: Promise<number> | undefined;

async function fetchSnapshot(): Promise<number> {
  const { token, slug } = settings;
  const response = await api<ScanSnapshot>('GET', '/scan-snapshot', undefined, SNAPSHOT_TIMEOUT_MS);
  // signed out (or into another event) while it was on its way: not this device's any more
  if (settings.token !== token || settings.slug !== slug) return response.status;
  if (response.status === 200) {
    const snapshot = (device.snapshot = response.body);
    await saveSnapshot(snapshot);
    if (device.snapshot !== snapshot) return response.status;
    pruneLocal(local, snapshot, new Set(device.queue.map((q) => idOf(q.qr))));
    saveLocal();
    void reportDevice();
  }
  return response.status;
}

/**
 * Tells check-in how this device is (the organisers' devices view): its gate, the scans it still
 * holds and its clock. Best effort: a report that fails is simply the next one's to make.
 */
export async function reportDevice(): Promise<void> {
  if (!settings.gate) return;
  const response = await api<{ clockOffsetMs?: number }>('POST', '/devices/report', {
    deviceId: settings.deviceId,
    gate: settings.gate,
    list: settings.list,
    direction: settings.direction,
    queued: device.queue.length,
    conflicts: device.conflicts.length,
    clock: new Date().toISOString(),
  }).catch(() => undefined);
  const offset = response?.status === 200 ? response.body.clockOffsetMs : undefined;
  if (typeof offset === 'number') {
    device.clockOffsetMs = offset;
    renderStatus();
  }
}

/** The badge id inside a QR text, for bookkeeping only (the signature is not checked here). */
function idOf(qr: string): string {
  try {
    return decodeTicket(qr).claims.badgeId;
  } catch {
    return '';
  }
}

export async function syncQueue(): Promise<void> {
  if (device.syncing || device.queue.length === 0 || !navigator.onLine) return;
  device.syncing = true;
  renderStatus();
  try {
    // At most what POST …/scans takes: a queue of 1,000 syncs in one call (API.md).
    const batch = device.queue.slice(0, 1000);
    const send = batch.map(({ shown: _shown, ...scan }) => scan);
    const response = await api<ScanAnswer[]>('POST', '/scans', send);
    setOnline(true);
    if (response.status === 200) {
      response.body.forEach((answer, i) => settle(batch[i], answer));
      device.queue = device.queue.slice(batch.length);
    } else if (response.status === 400 || response.status === 409) {
      // One scan the server refuses (too old, an unknown gate): send them one by one.
      for (const scan of batch) {
        const { shown: _shown, ...body } = scan;
        const single = await api<ScanAnswer>('POST', '/scan', body);
        if (single.status === 200) settle(scan, single.body);
        else if (single.status === 400 || single.status === 409) {
          device.conflicts.push({
            name: '',
            shown: scan.shown,
            server: 'invalid',
            message: messageOf(single.body),
            duplicate: false,
          });
        } else break;
        device.queue = device.queue.filter((q) => q.nonce !== scan.nonce);
      }
    }
    saveQueue();
    saveLocal();
    saveConflicts();
    if (device.queue.length > 0 && response.status === 200) {
      device.syncing = false;
      return syncQueue();
    }
    await refreshSnapshot({ begunNow: true });
  } catch {
    setOnline(false);
  } finally {
    device.syncing = false;
    renderStatus();
    renderConflicts();
  }
}

function settle(scan: QueuedScan, answer: ScanAnswer): void {
  rememberAnswer(local, scan.list, scan.gate, answer, new Date());
  // A badge let in at two doors: this device admitted it offline and the server had (or got) an
  // admission elsewhere. A repeat this device itself answered "already admitted" is no conflict.
  const duplicate =
    scan.shown === 'admitted' &&
    (answer.flagged === 'duplicate' ||
      answer.reason === 'duplicate_offline' ||
      answer.reason === 'admitted_first');
  if (duplicate || answer.result !== scan.shown) {
    device.conflicts.push({
      name: answer.attendee?.name ?? '',
      shown: scan.shown,
      server: answer.result,
      message: answer.firstScan
        ? words().firstScan(formatTime(answer.firstScan.at), answer.firstScan.gate)
        : answer.message,
      duplicate,
    });
  }
}
