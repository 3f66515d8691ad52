/**
 * What the device remembers, so a reload (or a dead battery) loses nothing. In localStorage,
 * small and written synchronously (a scan shown as queued is stored the moment it is shown): its
 * settings (token, event, gate, list, direction, language), the scans waiting to be sent, what it
 * saw itself and the conflicts to show. In IndexedDB (database `einlass-scanner`, store `keyval`,
 * key `snapshot`): the scan snapshot it decides offline from, which for a large event with names
 * is several MB, beyond localStorage's quota (about 5 MB). It is read once at start (main.ts
 * awaits it), kept in memory, and written again with each refresh. A browser without a working
 * IndexedDB keeps it in localStorage as before (as far as it fits; else only in memory).
 */
import { createStore, del, get, set, type UseStore } from 'idb-keyval';
import { type Direction, type ScanResult, type ScanSnapshot } from '@einlass/contracts';
import { defaultLang, WORDS, type Lang, type Words } from './i18n';
import { type LocalRecord } from './offline';

export interface QueuedScan {
  qr: string;
  gate: string;
  list: string;
  direction: Direction;
  nonce: string;
  scannedAt: string;
  shown: ScanResult;
}

export interface Conflict {
  name: string;
  shown: ScanResult;
  server: ScanResult;
  message: string;
  duplicate: boolean;
}

export interface Settings {
  lang: Lang;
  token: string;
  slug: string;
  gate: string;
  list: string;
  direction: Direction;
  deviceId: string;
  counter: number;
}

const PREFIX = 'einlass.scanner.';

function load<T>(name: string, fallback: T): T {
  try {
    const text = localStorage.getItem(PREFIX + name);
    return text === null ? fallback : (JSON.parse(text) as T);
  } catch {
    return fallback;
  }
}

/** Whether it was stored: false on full or refused storage (the page keeps working from memory). */
export function save(name: string, value: unknown): boolean {
  try {
    localStorage.setItem(PREFIX + name, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

function remove(name: string): void {
  try {
    localStorage.removeItem(PREFIX + name);
  } catch {
    // storage refused altogether: there is nothing to remove
  }
}

export const settings: Settings = {
  lang: defaultLang(navigator.languages ?? [navigator.language]),
  token: '',
  slug: '',
  gate: '',
  list: 'main',
  direction: 'in',
  deviceId: `web-${Math.random().toString(36).slice(2, 10)}`,
  counter: 0,
  ...load<Partial<Settings>>('settings', {}),
};

/** What this device saw itself of each badge, until the server's snapshot knows it. */
export const local: LocalRecord = load<LocalRecord>('local', {});

/** The state that changes while the page runs (read and replaced by the modules beside). */
export const device = {
  /** Set by main.ts from loadSnapshot() before any screen shows, then by each refresh. */
  snapshot: undefined as ScanSnapshot | undefined,
  queue: load<QueuedScan[]>('queue', []),
  conflicts: load<Conflict[]>('conflicts', []),
  online: navigator.onLine,
  syncing: false,
  /** How far this device's clock is off check-in's, as check-in last measured it (null: not yet). */
  clockOffsetMs: null as number | null,
  screen: 'signin' as 'signin' | 'door' | 'scan',
};

export const saveSettings = () => save('settings', settings);
export const saveQueue = () => save('queue', device.queue);
export const saveLocal = () => save('local', local);
export const saveConflicts = () => save('conflicts', device.conflicts);
export const words = (): Words => WORDS[settings.lang];

// ---------------------------------------------------------------------------------------------
// The snapshot, in IndexedDB.

const SNAPSHOT = 'snapshot';
/** Long enough for a slow phone with a large snapshot; then IndexedDB counts as failed (hangs). */
const IDB_TIMEOUT_MS = 15_000;

let idb: UseStore | undefined;
/** The page's own database (opened at first use; throws where the browser has no IndexedDB). */
const snapshotStore = (): UseStore => (idb ??= createStore('einlass-scanner', 'keyval'));

const newer = (a: ScanSnapshot | undefined, b: ScanSnapshot | undefined) =>
  !a ? b : !b ? a : b.generatedAt > a.generatedAt ? b : a;

/**
 * The snapshot this device kept for the event it is signed in to (undefined: none, or one of
 * another event, which is forgotten). A snapshot in localStorage (an older page version kept it
 * there, or IndexedDB failed when it was written) is moved over: written to IndexedDB, then
 * removed from localStorage. Without a working IndexedDB the localStorage copy is used as before.
 */
export async function loadSnapshot(slug: string): Promise<ScanSnapshot | undefined> {
  const old = load<ScanSnapshot | undefined>(SNAPSHOT, undefined);
  let kept: ScanSnapshot | undefined;
  let stored: ScanSnapshot | undefined;
  try {
    kept = await inIndexedDb((store) => get<ScanSnapshot>(SNAPSHOT, store));
    stored = newer(kept, old);
    if (old) {
      if (stored === old) await inIndexedDb((store) => set(SNAPSHOT, old, store));
      remove(SNAPSHOT);
    }
  } catch {
    // no IndexedDB (or it failed): localStorage as before
    stored = newer(kept, old);
  }
  if (stored && stored.event.slug !== slug) {
    // of an event the device is no longer signed in to: never used again, and may hold names
    await forgetSnapshot();
    return undefined;
  }
  return stored;
}

/**
 * Stores the snapshot (IndexedDB; localStorage where that fails). Resolves once it is stored,
 * with whether it is (false: only in memory, a reload offline would not have it).
 */
export async function saveSnapshot(snapshot: ScanSnapshot): Promise<boolean> {
  try {
    await inIndexedDb((store) => set(SNAPSHOT, snapshot, store));
    // a copy left in localStorage (by a failing IndexedDB earlier) is older now
    remove(SNAPSHOT);
    return true;
  } catch {
    return save(SNAPSHOT, snapshot);
  }
}

/** Forgets the snapshot, from memory and both stores (signing out: it may hold names). */
export async function forgetSnapshot(): Promise<void> {
  device.snapshot = undefined;
  remove(SNAPSHOT);
  try {
    await inIndexedDb((store) => del(SNAPSHOT, store));
  } catch {
    // no IndexedDB: nothing kept there
  }
}

/** A call on the snapshot's store; rejects where there is no IndexedDB, or no answer in time. */
function inIndexedDb<T>(call: (store: UseStore) => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    (async () => call(snapshotStore()))(),
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`IndexedDB gave no answer in ${IDB_TIMEOUT_MS} ms`)),
        IDB_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}
