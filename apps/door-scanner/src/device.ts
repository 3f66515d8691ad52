/**
 * What the device remembers, kept in localStorage so a reload (or a dead battery) loses nothing:
 * its settings (token, event, gate, list, direction, language), the scan snapshot it decides
 * offline from, the scans waiting to be sent, what it saw itself and the conflicts to show.
 */
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

export function save(name: string, value: unknown): void {
  try {
    localStorage.setItem(PREFIX + name, JSON.stringify(value));
  } catch {
    // Full storage (a very large snapshot): the page keeps working from memory.
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

const stored = load<ScanSnapshot | undefined>('snapshot', undefined);

/** The state that changes while the page runs (read and replaced by the modules beside). */
export const device = {
  snapshot: stored && stored.event.slug === settings.slug ? stored : undefined,
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
