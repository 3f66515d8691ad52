import { BadRequestException, ConflictException, ForbiddenException } from '@nestjs/common';
import { Command, CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { DataSource, EntityManager } from 'typeorm';
import { hashToken, mayUseGate, Principal } from '@einlass/auth';
import { isUniqueViolation, queryRows } from '@einlass/database';
import { decodeTicket, verifyTicket } from '@einlass/tickets';
import {
  CheckinAttendee,
  CheckinEvent,
  CheckinSession,
  displayName,
} from '../read-model/read-model.entities';
import { CheckinEvents } from './checkin-events';
import { PublicKeys } from './public-keys';
import { decideScan, Direction, ScanDecision, ScanList, ScanResult } from './scan-decision';
import { ScanDto } from './scan.dto';

/** The answer to a scan (API.md). */
export interface ScanAnswer {
  result: ScanResult;
  attendee?: { id: string; name: string; organisation: string | null; category: string };
  firstScan?: { at: string; gate: string };
  message: string;
}

/** Records one scan at a door and answers it. */
export class RecordScan extends Command<ScanAnswer> {
  constructor(
    readonly eventSlug: string,
    readonly scan: ScanDto,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Domain event inside the check-in service: a scan was recorded (with its answer). */
export class ScanRecorded {
  constructor(
    readonly eventId: string,
    readonly attendeeId: string | null,
    readonly answer: ScanAnswer,
  ) {}
}

interface PresenceRow {
  first_admitted_at: Date;
  first_gate: string;
}

/**
 * Decides and records a scan. An `admitted` answer leaves only after its record is committed, and
 * the database decides who is first: a unique key per (event, list, person) and a conditional
 * upsert make concurrent scans of one badge yield one admission, whatever the number of gates.
 */
@CommandHandler(RecordScan)
export class RecordScanHandler implements ICommandHandler<RecordScan, ScanAnswer> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: CheckinEvents,
    private readonly keys: PublicKeys,
    private readonly eventBus: EventBus,
  ) {}

  async execute({ eventSlug, scan, principal }: RecordScan): Promise<ScanAnswer> {
    const event = await this.events.bySlugOrFail(eventSlug);
    if (!mayUseGate(principal, scan.gate)) {
      throw new ForbiddenException(`This token may not scan at gate "${scan.gate}"`);
    }
    const list = await this.resolveList(event, scan.list ?? 'main');
    if (scan.nonce) {
      const earlier = await this.answerForNonce(event.id, scan.nonce, scan.qr);
      if (earlier) return earlier;
    }

    const keyId = keyIdOf(scan.qr);
    if (keyId) await this.keys.load(keyId);
    const verification = verifyTicket(scan.qr, (id) => this.keys.get(id));
    const holder = verification.valid
      ? ((await this.dataSource
          .getRepository(CheckinAttendee)
          .findOneBy({ id: verification.claims.badgeId })) ?? undefined)
      : undefined;
    const direction: Direction = scan.direction ?? 'in';
    const decision = decideScan({ verification, eventId: event.id, holder, list, direction });

    try {
      const answer = await this.dataSource.transaction((manager) =>
        this.apply(manager, { event, list, scan, principal, decision, holder, direction }),
      );
      this.eventBus.publish(new ScanRecorded(event.id, holder?.id ?? null, answer));
      return answer;
    } catch (error) {
      // The same nonce arrived twice at once: the first one's answer is the answer.
      if (scan.nonce && isUniqueViolation(error, 'scans_event_nonce_key')) {
        const earlier = await this.answerForNonce(event.id, scan.nonce, scan.qr);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  private async apply(
    manager: EntityManager,
    context: {
      event: CheckinEvent;
      list: ScanList;
      scan: ScanDto;
      principal: Principal;
      decision: ScanDecision;
      holder: CheckinAttendee | undefined;
      direction: Direction;
    },
  ): Promise<ScanAnswer> {
    const { event, list, scan, decision, holder, direction } = context;
    const listName = list.kind === 'main' ? 'main' : list.code;
    const who = holder
      ? {
          id: holder.id,
          name: displayName(holder),
          organisation: holder.organisation,
          category: holder.category,
        }
      : undefined;

    let answer: ScanAnswer;
    if (decision.action === 'refuse') {
      answer = {
        result: decision.result,
        ...(decision.result === 'invalid' || decision.result === 'wrong_event'
          ? {}
          : { attendee: who }),
        message: decision.message,
      };
    } else if (decision.action === 'exit') {
      const left = await queryRows<unknown>(
        manager,
        `UPDATE presence SET inside = false, last_change_at = now()
          WHERE event_id = $1 AND list = $2 AND attendee_id = $3 AND inside RETURNING 1`,
        [event.id, listName, holder!.id],
      );
      answer = {
        result: 'left',
        attendee: who,
        message:
          left.length > 0
            ? 'Exit recorded'
            : 'Exit recorded, but this person was not checked in here',
      };
    } else {
      answer = await this.admit(manager, event.id, list, listName, holder!, scan.gate);
      answer.attendee = who;
    }

    await manager.query(
      `INSERT INTO scans (event_id, attendee_id, badge_version, gate, list, direction, device, token_id,
                          result, message, nonce, scanned_at, answer)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        event.id,
        holder?.id ?? null,
        holder?.badgeVersion ?? null,
        scan.gate,
        listName,
        direction,
        context.principal.label,
        context.principal.tokenId,
        answer.result,
        answer.message,
        scan.nonce ?? null,
        scan.scannedAt ?? null,
        JSON.stringify({ ...answer, qrHash: hashToken(scan.qr) }),
      ],
    );
    return answer;
  }

  private async admit(
    manager: EntityManager,
    eventId: string,
    list: ScanList,
    listName: string,
    holder: CheckinAttendee,
    gate: string,
  ): Promise<ScanAnswer> {
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
        return {
          result: 'capacity_full',
          message: `Session ${list.code} is full (${session.capacity} places)`,
        };
      }
    }
    const entered = await manager.query<(PresenceRow & { reentered: boolean })[]>(
      `INSERT INTO presence (event_id, list, attendee_id, first_admitted_at, first_gate, inside, last_change_at)
       VALUES ($1, $2, $3, now(), $4, true, now())
       ON CONFLICT (event_id, list, attendee_id) DO UPDATE SET inside = true, last_change_at = now()
         WHERE presence.inside = false
       RETURNING first_admitted_at, first_gate, (xmax <> 0) AS reentered`,
      [eventId, listName, holder.id, gate],
    );
    if (entered[0]) {
      return { result: 'admitted', message: entered[0].reentered ? 'Welcome back' : 'Welcome' };
    }
    const [first] = await manager.query<PresenceRow[]>(
      `SELECT first_admitted_at, first_gate FROM presence WHERE event_id = $1 AND list = $2 AND attendee_id = $3`,
      [eventId, listName, holder.id],
    );
    return {
      result: 'already_admitted',
      firstScan: { at: new Date(first.first_admitted_at).toISOString(), gate: first.first_gate },
      message: `Already checked in at ${first.first_gate}`,
    };
  }

  private async resolveList(event: CheckinEvent, name: string): Promise<ScanList> {
    if (name === 'main') return { kind: 'main' };
    const session = await this.dataSource
      .getRepository(CheckinSession)
      .findOneBy({ eventId: event.id, code: name });
    if (!session)
      throw new BadRequestException([
        `list must be main or a session code of this event; "${name}" is neither`,
      ]);
    return { kind: 'session', code: session.code, sessionKind: session.kind };
  }

  /** The stored answer for a nonce already used; 409 when it was used for another badge. */
  private async answerForNonce(
    eventId: string,
    nonce: string,
    qr: string,
  ): Promise<ScanAnswer | undefined> {
    const [row] = await this.dataSource.query<{ answer: ScanAnswer & { qrHash: string } }[]>(
      `SELECT answer FROM scans WHERE event_id = $1 AND nonce = $2`,
      [eventId, nonce],
    );
    if (!row) return undefined;
    const { qrHash, ...answer } = row.answer;
    if (qrHash !== hashToken(qr)) {
      throw new ConflictException(`Nonce ${nonce} was already used for another badge`);
    }
    return answer;
  }
}

function keyIdOf(qr: string): string | undefined {
  try {
    return decodeTicket(qr).claims.keyId;
  } catch {
    return undefined;
  }
}
