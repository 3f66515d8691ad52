import type { Direction, ScanReason, ScanResult } from '@einlass/contracts';
import type { TicketVerification } from '@einlass/tickets';

export type { Direction, ScanResult };

/** What check-in knows about the badge's holder. */
export interface BadgeHolder {
  status: 'registered' | 'cancelled';
  /** Set when the person's data was erased: the badge is revoked for good. */
  erasedAt?: Date | string | null;
  /** The badge version currently valid; null while check-in has not yet heard of the badge. */
  badgeVersion: number | null;
  sessions: string[];
}

/** The list being scanned for: the entrance (`main`) or a session's door. */
export type ScanList =
  { kind: 'main' } | { kind: 'session'; code: string; sessionKind: 'talk' | 'workshop' };

export interface ScanFacts {
  verification: TicketVerification;
  /** The event whose door this is. */
  eventId: string;
  holder: BadgeHolder | undefined;
  list: ScanList;
  direction: Direction;
  /**
   * The token names a key the organisers retired (it leaked). A device that no longer holds the
   * key cannot check the signature, and need not: the badge is refused either way.
   */
  keyRetired?: boolean;
}

export type ScanDecision =
  | {
      action: 'refuse';
      result: 'invalid' | 'wrong_event' | 'revoked' | 'not_on_list';
      reason: ScanReason;
      message: string;
    }
  /** Passes every check that needs no lock: admit, unless already inside or the room is full. */
  | { action: 'admit' }
  | { action: 'exit' };

/** Why a code that fails verification is not a badge, in code and words. */
const INVALID: Record<
  Extract<TicketVerification, { valid: false }>['reason'],
  { reason: ScanReason; message: string }
> = {
  malformed: {
    reason: 'malformed',
    message: 'Not a badge of this system (unreadable or damaged code)',
  },
  unknown_key: {
    reason: 'unknown_key',
    message: 'Not a genuine badge: signed with an unknown key',
  },
  bad_signature: {
    reason: 'bad_signature',
    message: 'Not a genuine badge: the signature does not match (forged or altered)',
  },
  certificate: {
    reason: 'certificate',
    message: 'An attendance certificate, not a badge: it never opens a door',
  },
};

/**
 * The rules of the door, as a pure function: everything that can be decided from the badge and
 * the read model alone. What depends on other scans (first admission wins, capacity) is decided
 * atomically in the database afterwards.
 */
export function decideScan(facts: ScanFacts): ScanDecision {
  const { verification } = facts;
  if (facts.keyRetired) {
    return {
      action: 'refuse',
      result: 'revoked',
      reason: 'key_retired',
      message:
        'Signed with a retired key: this badge is no longer valid; a re-printed badge is needed',
    };
  }
  if (!verification.valid) {
    return { action: 'refuse', result: 'invalid', ...INVALID[verification.reason] };
  }
  const { claims } = verification;
  if (claims.eventId !== facts.eventId) {
    return {
      action: 'refuse',
      result: 'wrong_event',
      reason: 'wrong_event',
      message: 'This badge is for another event',
    };
  }
  const holder = facts.holder;
  if (!holder) {
    return {
      action: 'refuse',
      result: 'invalid',
      reason: 'unknown_badge',
      message: 'Badge not known to check-in (yet); ask the desk',
    };
  }
  if (holder.erasedAt) {
    return {
      action: 'refuse',
      result: 'revoked',
      reason: 'erased',
      message: 'Personal data erased: this badge is no longer valid',
    };
  }
  if (holder.status === 'cancelled') {
    return {
      action: 'refuse',
      result: 'revoked',
      reason: 'cancelled',
      message: 'Registration cancelled: this badge is no longer valid',
    };
  }
  if (holder.badgeVersion !== null && claims.badgeVersion < holder.badgeVersion) {
    return {
      action: 'refuse',
      result: 'revoked',
      reason: 'newer',
      message: 'A newer badge exists for this person: this one is no longer valid',
    };
  }
  if (facts.direction === 'out') return { action: 'exit' };
  const { list } = facts;
  if (
    list.kind === 'session' &&
    list.sessionKind === 'workshop' &&
    !holder.sessions.includes(list.code)
  ) {
    return {
      action: 'refuse',
      result: 'not_on_list',
      reason: 'not_on_list',
      message: `Not signed up for workshop ${list.code}`,
    };
  }
  return { action: 'admit' };
}
