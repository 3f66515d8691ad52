import { decodeTicket, isCertificateCode, type TicketVerification } from '@einlass/tickets';
import type {
  Direction,
  ScanAnswer as ServerScanAnswer,
  ScanReason,
  ScanSnapshot,
} from '@einlass/contracts';
import {
  decideScan,
  doorAnswers,
  foldName,
  type BadgeHolder,
  type ScanList,
} from '@einlass/door-rules';

/**
 * The answer to a scan, as the server gives it (docs/API.md), or as this device decided it offline;
 * offline it may also be `no_crypto` (this browser cannot check signatures).
 */
export type ScanAnswer = Omit<ServerScanAnswer, 'reason'> & { reason?: ScanReason | 'no_crypto' };

/** What this device has seen of a badge on a list: kept until the server's snapshot knows it. */
export interface LocalPresence {
  at: string;
  gate: string;
  inside: boolean;
  /** When this device last changed it. */
  changedAt: string;
}

export type LocalRecord = Record<string, Record<string, LocalPresence>>;

export interface OfflineScan {
  qr: string;
  gate: string;
  list: string;
  direction: Direction;
}

const keyCache = new Map<string, Promise<CryptoKey | undefined>>();

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function publicKey(snapshot: ScanSnapshot, keyId: string): Promise<CryptoKey | undefined> {
  const entry = snapshot.keys.find((k) => k.keyId === keyId);
  if (!entry) return Promise.resolve(undefined);
  const cacheKey = `${keyId}:${entry.publicKey}`;
  let key = keyCache.get(cacheKey);
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      base64ToBytes(entry.publicKey),
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    keyCache.set(cacheKey, key);
  }
  return key;
}

/** The same checks as the server's verifyTicket, with WebCrypto. */
export async function verifyInBrowser(
  qr: string,
  snapshot: ScanSnapshot,
): Promise<TicketVerification> {
  if (isCertificateCode(qr)) {
    return {
      valid: false,
      reason: 'certificate',
      detail: 'an attendance certificate, not a badge',
    };
  }
  let decoded;
  try {
    decoded = decodeTicket(qr);
  } catch (error) {
    return { valid: false, reason: 'malformed', detail: String(error) };
  }
  const key = await publicKey(snapshot, decoded.claims.keyId);
  if (!key) return { valid: false, reason: 'unknown_key', detail: 'unknown key' };
  const ok = await crypto.subtle.verify(
    { name: 'Ed25519' },
    key,
    new Uint8Array(decoded.signature),
    new Uint8Array(decoded.signed),
  );
  return ok
    ? { valid: true, claims: decoded.claims }
    : { valid: false, reason: 'bad_signature', detail: 'signature does not match' };
}

/** Whether the code names a key the organisers retired (the snapshot no longer holds it). */
function namesRetiredKey(qr: string, snapshot: ScanSnapshot): boolean {
  if (!snapshot.retiredKeys?.length) return false;
  try {
    return snapshot.retiredKeys.includes(decodeTicket(qr).claims.keyId);
  } catch {
    return false;
  }
}

export function canVerifyOffline(): boolean {
  return typeof crypto !== 'undefined' && crypto.subtle !== undefined;
}

/** Where the badge stands on a list: this device's own record when newer than the snapshot. */
export function presenceOf(
  snapshot: ScanSnapshot,
  local: LocalRecord,
  list: string,
  badgeId: string,
): { at: string; gate: string; inside: boolean } | undefined {
  const mine = local[list]?.[badgeId];
  const server = snapshot.admitted[list]?.[badgeId];
  if (mine && (!server || mine.changedAt > snapshot.generatedAt)) return mine;
  return server ?? mine;
}

function insideCount(snapshot: ScanSnapshot, local: LocalRecord, list: string): number {
  const ids = new Set([
    ...Object.keys(snapshot.admitted[list] ?? {}),
    ...Object.keys(local[list] ?? {}),
  ]);
  let count = 0;
  for (const id of ids) if (presenceOf(snapshot, local, list, id)?.inside) count++;
  return count;
}

/**
 * Decides a scan on this device, with the rules of apps/checkin/src/scanning/scan-decision.ts
 * (the same function), the snapshot and this device's own record; updates the record.
 */
export async function decideOffline(
  scan: OfflineScan,
  snapshot: ScanSnapshot,
  local: LocalRecord,
  now: Date,
): Promise<ScanAnswer> {
  if (!canVerifyOffline()) return { result: 'invalid', message: '', reason: 'no_crypto' };
  const verification = await verifyInBrowser(scan.qr, snapshot);
  const badgeId = verification.valid ? verification.claims.badgeId : undefined;
  const badge = badgeId ? snapshot.badges[badgeId] : undefined;
  const holder: BadgeHolder | undefined = badge
    ? { status: badge.status, badgeVersion: badge.version, sessions: badge.sessions }
    : undefined;
  const session = snapshot.lists.find((l) => l.code === scan.list && l.code !== 'main');
  const list: ScanList = session
    ? {
        kind: 'session',
        code: session.code,
        sessionKind: session.kind === 'workshop' ? 'workshop' : 'talk',
      }
    : { kind: 'main' };
  const decision = decideScan({
    verification,
    eventId: snapshot.event.id,
    holder,
    list,
    direction: scan.direction,
    keyRetired: namesRetiredKey(scan.qr, snapshot),
  });
  const attendee =
    badge && badgeId
      ? {
          id: badgeId,
          name: badge.name ?? '',
          organisation: badge.organisation ?? null,
          category: badge.category,
        }
      : undefined;

  if (decision.action === 'refuse') {
    const showPerson = decision.result !== 'invalid' && decision.result !== 'wrong_event';
    return {
      result: decision.result,
      reason: decision.reason,
      ...(showPerson ? { attendee } : {}),
      message: decision.message,
    };
  }

  const id = badgeId!;
  const current = presenceOf(snapshot, local, scan.list, id);
  const stamp = now.toISOString();
  const byList = (local[scan.list] ??= {});
  if (decision.action === 'exit') {
    byList[id] = {
      at: current?.at ?? stamp,
      gate: current?.gate ?? scan.gate,
      inside: false,
      changedAt: stamp,
    };
    return { ...doorAnswers.left(current?.inside === true), attendee };
  }
  if (current?.inside) {
    return {
      ...doorAnswers.alreadyInside(current.gate),
      attendee,
      firstScan: { at: current.at, gate: current.gate },
    };
  }
  if (session?.capacity != null && insideCount(snapshot, local, scan.list) >= session.capacity) {
    return { ...doorAnswers.capacityFull(session.code, session.capacity), attendee };
  }
  byList[id] = {
    at: current?.at ?? stamp,
    gate: current?.gate ?? scan.gate,
    inside: true,
    changedAt: stamp,
  };
  return { ...doorAnswers.admitted(current !== undefined), attendee };
}

/** Remembers an answer the server gave, so a later offline scan knows the badge is inside. */
export function rememberAnswer(
  local: LocalRecord,
  list: string,
  gate: string,
  answer: ScanAnswer,
  now: Date,
): void {
  const id = answer.attendee?.id;
  if (!id) return;
  const stamp = now.toISOString();
  const byList = (local[list] ??= {});
  if (answer.result === 'admitted' || answer.result === 'already_admitted') {
    byList[id] = {
      at: answer.firstScan?.at ?? byList[id]?.at ?? stamp,
      gate: answer.firstScan?.gate ?? byList[id]?.gate ?? gate,
      inside: true,
      changedAt: stamp,
    };
  } else if (answer.result === 'left' && byList[id]) {
    byList[id] = { ...byList[id], inside: false, changedAt: stamp };
  }
}

/** Drops what the snapshot already knows, so the record stays small. */
export function pruneLocal(
  local: LocalRecord,
  snapshot: ScanSnapshot,
  pendingIds: Set<string>,
): void {
  for (const list of Object.keys(local)) {
    const byList = local[list];
    for (const id of Object.keys(byList)) {
      if (!pendingIds.has(id) && byList[id].changedAt < snapshot.generatedAt) delete byList[id];
    }
  }
}

export interface Found {
  id: string;
  name: string;
  organisation: string | null;
  category: string;
  status: string;
  inside: boolean;
}

/** Searches the snapshot's names (only there when the organisers allow devices to hold them). */
export function searchSnapshot(
  snapshot: ScanSnapshot,
  local: LocalRecord,
  list: string,
  query: string,
  limit = 20,
): Found[] {
  const words = foldName(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const found: Found[] = [];
  for (const [id, badge] of Object.entries(snapshot.badges)) {
    if (!badge.name) continue;
    const text = foldName(`${badge.name} ${badge.organisation ?? ''}`);
    if (!words.every((w) => text.includes(w))) continue;
    found.push({
      id,
      name: badge.name,
      organisation: badge.organisation ?? null,
      category: badge.category,
      status: badge.status,
      inside: presenceOf(snapshot, local, list, id)?.inside ?? false,
    });
    if (found.length >= limit) break;
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
