import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  NotFoundException,
} from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource, EntityManager } from 'typeorm';
import { hashToken, mayUseGate, Principal } from '@einlass/auth';
import { EventType, type ScanAnswer } from '@einlass/contracts';
import { isUniqueViolation, queryRows } from '@einlass/database';
import { writeToOutbox } from '@einlass/outbox';
import { decodeTicket, TicketVerification, verifyTicket } from '@einlass/tickets';
import { markAttendanceChanged } from '../attendance/attendance-stream.signal';
import { DoorSettingsStore } from '../door-settings/door-settings';
import {
  CheckinAttendee,
  CheckinEvent,
  CheckinSession,
  doorView,
} from '../read-model/read-model.entities';
import { AdmissionBatcher } from './admission-batcher';
import { BadgeHolders } from './badge-holders';
import { CheckinEvents } from './checkin-events';
import { PublicKeys } from './public-keys';
import {
  decideScan,
  doorAnswers,
  type Direction,
  type ScanDecision,
  type ScanList,
} from '@einlass/door-rules';
import { ScanDto } from './scan.dto';

export type { ScanAnswer };

/** Records one scan of a badge's QR code at a door and answers it. */
export class RecordScan extends Command<ScanAnswer> {
  constructor(
    readonly eventSlug: string,
    readonly scan: ScanDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Checks someone in by attendee id, for a lost badge: answered like a scan. */
export class CheckInManually extends Command<ScanAnswer> {
  constructor(
    readonly eventSlug: string,
    readonly attendeeId: string,
    readonly input: { gate: string; list?: string },
    readonly principal: Principal,
  ) {
    super();
  }
}

/** How far an offline device's clock may run ahead, and how old its queued scans may be. */
const SCANNED_AT_FUTURE_MS = 2 * 60_000;
const SCANNED_AT_PAST_MS = 72 * 3600_000;

interface ScanContext {
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
}

interface PresenceRow {
  first_admitted_at: Date;
  first_gate: string;
}

/**
 * Decides and records scans. An `admitted` answer leaves only after its record is committed, and
 * the database decides who is first: a unique key per (event, list, person) and a conditional
 * upsert make concurrent scans of one badge yield one admission, whatever the number of gates.
 * Offline scans (`scannedAt`) are always recorded: the earliest admission of a badge wins, and a
 * later one that was already answered `admitted` is flagged as a duplicate, never dropped.
 */
@CommandHandler(RecordScan)
export class RecordScanHandler implements ICommandHandler<RecordScan, ScanAnswer> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: CheckinEvents,
    private readonly keys: PublicKeys,
    private readonly settings: DoorSettingsStore,
    private readonly admissions: AdmissionBatcher,
    private readonly holders: BadgeHolders,
  ) {}

  async execute({ eventSlug, scan, principal }: RecordScan): Promise<ScanAnswer> {
    const event = await this.events.bySlugOrFail(eventSlug);
    const { list, seenAt } = await this.checkRequest(
      event,
      principal,
      scan.gate,
      scan.list,
      scan.scannedAt,
    );
    if (scan.nonce) {
      const earlier = await this.answerForNonce(event.id, scan.nonce, scan.qr);
      if (earlier) return earlier;
    }
    let verification = verifyTicket(scan.qr, (id) => this.keys.get(id));
    if (!verification.valid && verification.reason === 'unknown_key') {
      // A key this process has not met yet (a new event, a restart): look it up, then again.
      const keyId = keyIdOf(scan.qr);
      if (keyId) {
        await this.keys.load(keyId);
        verification = verifyTicket(scan.qr, (id) => this.keys.get(id));
      }
    }
    const holder = verification.valid ? await this.holder(verification.claims.badgeId) : undefined;
    const direction: Direction = scan.direction ?? 'in';
    return this.record({
      event,
      principal,
      gate: scan.gate,
      list,
      direction,
      nonce: scan.nonce,
      seenAt,
      identity: scan.qr,
      decision: decideScan({ verification, eventId: event.id, holder, list, direction }),
      holder,
    });
  }

  /** The manual check-in of CheckInManually: the same rules, without a badge to verify. */
  async checkInManually({
    eventSlug,
    attendeeId,
    input,
    principal,
  }: CheckInManually): Promise<ScanAnswer> {
    const event = await this.events.bySlugOrFail(eventSlug);
    const { list } = await this.checkRequest(event, principal, input.gate, input.list, undefined);
    const holder = await this.holder(attendeeId);
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
    return this.record({
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
    });
  }

  private async record(context: ScanContext): Promise<ScanAnswer> {
    const { decision, list, holder } = context;
    // The common case at the entrance goes through the grouped writer; the rest (refusals, exits,
    // sessions, offline and nonce'd scans) through the general transaction below.
    if (
      decision.action === 'admit' &&
      list.kind === 'main' &&
      !context.seenAt &&
      !context.nonce &&
      holder
    ) {
      return this.admissions.admit({
        eventId: context.event.id,
        attendeeId: holder.id,
        badgeVersion: holder.badgeVersion,
        gate: context.gate,
        device: context.principal.label,
        tokenId: context.principal.tokenId,
        qrHash: hashToken(context.identity),
        attendee: doorView(holder),
      });
    }
    try {
      return await this.dataSource.transaction((manager) => this.apply(manager, context));
    } catch (error) {
      // The same nonce arrived twice at once: the first one's answer is the answer.
      if (context.nonce && isUniqueViolation(error, 'scans_event_nonce_key')) {
        const earlier = await this.answerForNonce(
          context.event.id,
          context.nonce,
          context.identity,
        );
        if (earlier) return earlier;
      }
      throw error;
    }
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

  private holder(id: string): Promise<CheckinAttendee | undefined> {
    return this.holders.byId(id);
  }

  private async apply(manager: EntityManager, context: ScanContext): Promise<ScanAnswer> {
    const { event, list, decision, holder, direction } = context;
    const listName = list.kind === 'main' ? 'main' : list.code;
    const who = holder ? doorView(holder) : undefined;

    let answer: ScanAnswer;
    if (decision.action === 'refuse') {
      const showPerson = decision.result !== 'invalid' && decision.result !== 'wrong_event';
      answer = {
        result: decision.result,
        reason: decision.reason,
        ...(showPerson ? { attendee: who } : {}),
        message: decision.message,
      };
    } else if (decision.action === 'exit') {
      const left = await queryRows<unknown>(
        manager,
        `UPDATE presence SET inside = false, last_change_at = coalesce($4, now())
          WHERE event_id = $1 AND list = $2 AND attendee_id = $3 AND inside RETURNING 1`,
        [event.id, listName, holder!.id, context.seenAt],
      );
      answer = { ...doorAnswers.left(left.length > 0), attendee: who };
    } else {
      answer = {
        ...(await this.admit(manager, event.id, list, listName, holder!, context)),
        attendee: who,
      };
    }

    await manager.query(
      `INSERT INTO scans (event_id, attendee_id, badge_version, gate, list, direction, device, token_id,
                          result, message, nonce, scanned_at, flag, answer)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
      [
        event.id,
        holder?.id ?? null,
        holder?.badgeVersion ?? null,
        context.gate,
        listName,
        direction,
        context.principal.label,
        context.principal.tokenId,
        answer.result,
        answer.message,
        context.nonce ?? null,
        context.seenAt,
        answer.flagged ?? null,
        JSON.stringify({ ...answer, qrHash: hashToken(context.identity) }),
      ],
    );
    markAttendanceChanged(manager, event.id);
    // The live feed for consumers beyond the door, committed with the scan (outbox).
    if (holder && (answer.result === 'admitted' || answer.result === 'left')) {
      await writeToOutbox(
        manager,
        answer.result === 'admitted' ? EventType.AttendeeCheckedIn : EventType.AttendeeLeft,
        {
          eventId: event.id,
          attendeeId: holder.id,
          list: listName,
          gate: context.gate,
          at: (context.seenAt ?? new Date()).toISOString(),
          flag: answer.flagged ?? null,
        },
      );
    }
    return answer;
  }

  private async admit(
    manager: EntityManager,
    eventId: string,
    list: ScanList,
    listName: string,
    holder: CheckinAttendee,
    context: ScanContext,
  ): Promise<Omit<ScanAnswer, 'attendee'>> {
    if (list.kind === 'session') {
      // One admission at a time per session: the count below cannot be overtaken.
      const [session] = await manager.query<{ capacity: number }[]>(
        `SELECT capacity FROM sessions WHERE event_id = $1 AND code = $2 FOR UPDATE`,
        [eventId, list.code],
      );
      const [{ inside, present }] = await manager.query<{ inside: boolean; present: number }[]>(
        `SELECT coalesce(bool_or(attendee_id = $3), false) AS inside, count(*)::int AS present
           FROM presence WHERE event_id = $1 AND list = $2 AND inside`,
        [eventId, listName, holder.id],
      );
      if (!inside && present >= session.capacity) {
        return doorAnswers.capacityFull(list.code, session.capacity);
      }
    }
    const entered = await manager.query<(PresenceRow & { reentered: boolean })[]>(
      `INSERT INTO presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
       VALUES ($1, $2, $3, coalesce($5, now()), $4, true, coalesce($5, now()))
       ON CONFLICT (event_id, list, attendee_id) DO UPDATE SET inside = true, last_change_at = excluded.last_change_at
         WHERE presence.inside = false
       RETURNING first_admitted_at, first_gate, (xmax <> 0) AS reentered`,
      [eventId, listName, holder.id, context.gate, context.seenAt],
    );
    if (entered[0]) {
      return doorAnswers.admitted(entered[0].reentered);
    }
    // Already inside. Locked by the upsert above, so the comparison below cannot be overtaken.
    const [first] = await manager.query<PresenceRow[]>(
      `SELECT first_admitted_at, first_gate FROM presence WHERE event_id = $1 AND list = $2 AND attendee_id = $3`,
      [eventId, listName, holder.id],
    );
    const seenAt = context.seenAt;
    if (seenAt && seenAt < new Date(first.first_admitted_at)) {
      // An offline device saw the badge before the admission on record: this one is the first.
      await manager.query(
        `UPDATE presence SET first_admitted_at = $4, first_gate = $5
          WHERE event_id = $1 AND list = $2 AND attendee_id = $3`,
        [eventId, listName, holder.id, seenAt, context.gate],
      );
      await manager.query(
        `UPDATE scans SET flag = 'duplicate'
          WHERE event_id = $1 AND list = $2 AND attendee_id = $3 AND result = 'admitted'
            AND coalesce(scanned_at, recorded_at) > $4`,
        [eventId, listName, holder.id, seenAt],
      );
      return doorAnswers.admittedFirst(first.first_gate);
    }
    const firstScan = {
      at: new Date(first.first_admitted_at).toISOString(),
      gate: first.first_gate,
    };
    if (seenAt) {
      // The offline device already let the person in: recorded, and flagged for the organisers.
      return { ...doorAnswers.duplicateOffline(first.first_gate), firstScan, flagged: 'duplicate' };
    }
    return { ...doorAnswers.alreadyInside(first.first_gate), firstScan };
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

  /** The stored answer for a nonce already used; 409 when it was used for another badge. */
  private async answerForNonce(
    eventId: string,
    nonce: string,
    identity: string,
  ): Promise<ScanAnswer | undefined> {
    const [row] = await this.dataSource.query<{ answer: ScanAnswer & { qrHash: string } }[]>(
      `SELECT answer FROM scans WHERE event_id = $1 AND nonce = $2`,
      [eventId, nonce],
    );
    if (!row) return undefined;
    const { qrHash, ...answer } = row.answer;
    if (qrHash !== hashToken(identity)) {
      throw new ConflictException(`Nonce ${nonce} was already used for another badge`);
    }
    return answer;
  }
}

/** Manual check-in runs through the same handler as scans. */
@CommandHandler(CheckInManually)
export class CheckInManuallyHandler implements ICommandHandler<CheckInManually, ScanAnswer> {
  constructor(private readonly scans: RecordScanHandler) {}

  execute(command: CheckInManually): Promise<ScanAnswer> {
    return this.scans.checkInManually(command);
  }
}

function keyIdOf(qr: string): string | undefined {
  try {
    return decodeTicket(qr).claims.keyId;
  } catch {
    return undefined;
  }
}
