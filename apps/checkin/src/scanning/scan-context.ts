import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashToken, mayUseGate, Principal } from '@einlass/auth';
import type { ScanAnswer } from '@einlass/contracts';
import { decideScan, type Direction, type ScanDecision, type ScanList } from '@einlass/door-rules';
import { decodeTicket, TicketVerification, verifyTicket } from '@einlass/tickets';
import { DoorSettingsStore } from '../door-settings/door-settings';
import { CheckinAttendee, CheckinEvent, CheckinSession } from '../read-model/read-model.entities';
import { BadgeHolders } from './badge-holders';
import { CheckinEvents } from './checkin-events';
import { scanNonceIs } from './nonce-lookup';
import { PublicKeys } from './public-keys';
import { ScanDto } from './scan.dto';

/** How far an offline device's clock may run ahead, and how old its queued scans may be. */
const SCANNED_AT_FUTURE_MS = 2 * 60_000;
const SCANNED_AT_PAST_MS = 72 * 3600_000;

/** A scan resolved and decided: everything the AdmissionWriter needs to record it. */
export interface ScanContext {
  event: CheckinEvent;
  principal: Principal;
  gate: string;
  list: ScanList;
  direction: Direction;
  nonce: string | undefined;
  /** When the badge was seen (offline devices); null: now. */
  seenAt: Date | null;
  /** What identifies the scanned thing for nonce reuse: the QR text, or the attendee id. */
  identity: string;
  decision: ScanDecision;
  holder: CheckinAttendee | undefined;
  /** The holder came from the copy in memory (BadgeHolders.known), not a read for this scan. */
  holderFromCopy?: boolean;
}

/**
 * Turns a scan request into a ScanContext, writing nothing: the event, whether the token may use
 * the gate, the list, the offline time (`scannedAt`), the badge's signature and holder, and the door rules' decision (decideScan). 403/400/404/409 for
 * what the request may not do.
 */
@Injectable()
export class ScanContexts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: CheckinEvents,
    private readonly keys: PublicKeys,
    private readonly settings: DoorSettingsStore,
    private readonly holders: BadgeHolders,
  ) {}

  /**
   * A badge's QR code scanned at a door. A nonce already used is not looked up here: the writers
   * claim the nonce with the scan's log row and answer a reused one with its earlier answer.
   * `fromCopy`: take the holder from the copy in memory when it has them (`holderFromCopy`; the
   * caller then records only an entrance admission so decided, see BadgeHolders).
   */
  async ofScan(
    eventSlug: string,
    scan: ScanDto,
    principal: Principal,
    fromCopy = false,
  ): Promise<ScanContext> {
    const event = await this.events.bySlugOrFail(eventSlug);
    const { list, seenAt } = await this.checkRequest(
      event,
      principal,
      scan.gate,
      scan.list,
      scan.scannedAt,
    );
    // Every scan looks at its key (from memory; again from the database every few seconds, so a
    // key the organisers retire, or a key this process has not met yet, is seen).
    const keyId = keyIdOf(scan.qr);
    if (keyId) await this.keys.load(keyId);
    const verification = verifyTicket(scan.qr, (id) => this.keys.get(id));
    const keyRetired = keyId !== undefined && this.keys.isRetired(keyId);
    const copy =
      verification.valid && fromCopy
        ? this.holders.known(event.id, verification.claims.badgeId)
        : undefined;
    const holder =
      copy ??
      (verification.valid ? await this.holders.byId(verification.claims.badgeId) : undefined);
    const direction: Direction = scan.direction ?? 'in';
    return {
      event,
      principal,
      gate: scan.gate,
      list,
      direction,
      nonce: scan.nonce,
      seenAt,
      identity: scan.qr,
      decision: decideScan({
        verification,
        eventId: event.id,
        holder,
        list,
        direction,
        keyRetired,
      }),
      holder,
      holderFromCopy: copy !== undefined,
    };
  }

  /** A manual check-in (a lost badge): the same rules, without a badge to verify. */
  async ofManualCheckIn(
    eventSlug: string,
    attendeeId: string,
    input: { gate: string; list?: string },
    principal: Principal,
  ): Promise<ScanContext> {
    const event = await this.events.bySlugOrFail(eventSlug);
    const { list } = await this.checkRequest(event, principal, input.gate, input.list, undefined);
    const holder = await this.holders.byId(attendeeId);
    if (!holder || holder.eventId !== event.id)
      throw new NotFoundException(`No attendee ${attendeeId} in event "${eventSlug}"`);
    // Standing in for the badge: the attendee's current one, vouched for by the steward.
    const verification: TicketVerification = {
      valid: true,
      claims: {
        keyId: 'manual',
        eventId: event.id,
        badgeId: holder.id,
        badgeVersion: holder.badgeVersion ?? 1,
      },
    };
    return {
      event,
      principal,
      gate: input.gate,
      list,
      direction: 'in',
      nonce: undefined,
      seenAt: null,
      identity: `manual:${holder.id}`,
      decision: decideScan({ verification, eventId: event.id, holder, list, direction: 'in' }),
      holder,
    };
  }

  /** The stored answer for a nonce already used; 409 when it was used for another badge. */
  async answerForNonce(
    eventId: string,
    nonce: string,
    identity: string,
  ): Promise<ScanAnswer | undefined> {
    const [row] = await this.dataSource.query<{ answer: ScanAnswer & { qrHash: string } }[]>(
      `SELECT answer FROM scans x WHERE ${scanNonceIs('x', '$1::uuid', '$2::text')}`,
      [eventId, nonce],
    );
    if (!row) return undefined;
    const { qrHash, ...answer } = row.answer;
    if (qrHash !== hashToken(identity)) {
      throw new ConflictException(`Nonce ${nonce} was already used for another badge`);
    }
    return answer;
  }

  /** Gate, list and time of a scan request; 403/400 for what the token or the event does not allow. */
  private async checkRequest(
    event: CheckinEvent,
    principal: Principal,
    gate: string,
    listName: string | undefined,
    scannedAt: string | undefined,
  ): Promise<{ list: ScanList; seenAt: Date | null }> {
    if (!mayUseGate(principal, gate))
      throw new ForbiddenException(`This token may not scan at gate "${gate}"`);
    const { gates } = await this.settings.of(event.id);
    if (gates.length > 0 && !gates.includes(gate)) {
      throw new BadRequestException([
        `gate "${gate}" is not a gate of this event (${gates.join(', ')})`,
      ]);
    }
    let seenAt: Date | null = null;
    if (scannedAt !== undefined) {
      seenAt = new Date(scannedAt);
      const now = Date.now();
      if (seenAt.getTime() > now + SCANNED_AT_FUTURE_MS) {
        throw new BadRequestException(['scannedAt lies in the future: check the device clock']);
      }
      if (seenAt.getTime() < now - SCANNED_AT_PAST_MS) {
        throw new BadRequestException([
          'scannedAt is more than 72 hours ago: too old to be an offline scan',
        ]);
      }
    }
    return { list: await this.resolveList(event, listName ?? 'main'), seenAt };
  }

  private async resolveList(event: CheckinEvent, name: string): Promise<ScanList> {
    if (name === 'main') return { kind: 'main' };
    const session = await this.dataSource
      .getRepository(CheckinSession)
      .findOneBy({ eventId: event.id, code: name });
    if (!session) {
      throw new BadRequestException([
        `list must be main or a session code of this event; "${name}" is neither`,
      ]);
    }
    return { kind: 'session', code: session.code, sessionKind: session.kind };
  }
}

function keyIdOf(qr: string): string | undefined {
  try {
    return decodeTicket(qr).claims.keyId;
  } catch {
    return undefined;
  }
}
