import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { hashToken, Principal } from '@einlass/auth';
import type { ScanAnswer } from '@einlass/contracts';
import { isUniqueViolation } from '@einlass/database';
import { doorView } from '../read-model/read-model.entities';
import { AdmissionBatcher } from './admission-batcher';
import { AdmissionWriter, HOLDER_CHANGED, type PendingAdmission } from './admission-writer';
import { ScanContext, ScanContexts } from './scan-context';
import { ScanDto } from './scan.dto';

export type { ScanAnswer };

/** An offline queue's scans resolved (verified, holder looked up) this many at a time. */
const QUEUE_SLICE = 50;

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

/**
 * An offline device's queued scans, in the order to record them (earliest first): answered in
 * that order, each exactly as RecordScan would answer it at its turn.
 */
export class RecordQueuedScans extends Command<ScanAnswer[]> {
  constructor(
    readonly eventSlug: string,
    readonly scans: ScanDto[],
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

/**
 * Answers scans: ScanContexts resolves and decides a scan, the AdmissionWriter records it (or,
 * for the common case at the entrance, the AdmissionBatcher has it record a group). An answer
 * leaves only after its record is committed.
 */
@CommandHandler(RecordScan)
export class RecordScanHandler implements ICommandHandler<RecordScan, ScanAnswer> {
  constructor(
    private readonly contexts: ScanContexts,
    private readonly writer: AdmissionWriter,
    private readonly admissions: AdmissionBatcher,
  ) {}

  /**
   * An online scan is decided on the holder as the copy in memory has them (no read before the
   * write): an entrance admission so decided is written only if the holder is still the same
   * (else it is decided again from a fresh read); anything else is decided again from a fresh
   * read before it is recorded. An offline scan (`scannedAt`) reads the holder.
   */
  async execute({ eventSlug, scan, principal }: RecordScan): Promise<ScanAnswer> {
    const online = scan.scannedAt === undefined;
    const context = await this.contexts.ofScan(eventSlug, scan, principal, online);
    if (context.holderFromCopy) {
      const admission = this.admissionOf(context);
      if (admission) {
        const answer = await this.admissions.admit(admission);
        if (answer !== HOLDER_CHANGED) return answer;
      }
    }
    const fresh = context.holderFromCopy
      ? await this.contexts.ofScan(eventSlug, scan, principal)
      : context;
    return this.record(fresh);
  }

  /** The manual check-in of CheckInManually: the same rules, without a badge to verify. */
  async checkInManually({
    eventSlug,
    attendeeId,
    input,
    principal,
  }: CheckInManually): Promise<ScanAnswer> {
    return this.record(
      await this.contexts.ofManualCheckIn(eventSlug, attendeeId, input, principal),
    );
  }

  /**
   * An offline device's queue, already in the order to record it (RecordQueuedScans): every scan
   * is resolved at once (reads only), then recorded in order, the runs of entrance admissions
   * between other scans each handed to the grouped writer at once (which keeps their order).
   */
  async recordQueue({ eventSlug, scans, principal }: RecordQueuedScans): Promise<ScanAnswer[]> {
    // Resolved a slice at a time, the event loop free between slices: twenty devices sending
    // 500 scans each at once would otherwise verify 10,000 signatures back to back while the
    // doors' online scans wait.
    const contexts: PromiseSettledResult<ScanContext>[] = [];
    for (let from = 0; from < scans.length; from += QUEUE_SLICE) {
      if (from > 0) await new Promise((resolve) => setImmediate(resolve));
      contexts.push(
        ...(await Promise.allSettled(
          scans
            .slice(from, from + QUEUE_SLICE)
            .map((scan) => this.contexts.ofScan(eventSlug, scan, principal)),
        )),
      );
    }
    const answers: ScanAnswer[] = [];
    let run: Promise<ScanAnswer>[] = [];
    const finishRun = async () => {
      const settled = await Promise.allSettled(run);
      run = [];
      for (const outcome of settled) {
        if (outcome.status === 'rejected') throw outcome.reason;
        answers.push(outcome.value);
      }
    };
    for (const outcome of contexts) {
      if (outcome.status === 'rejected') {
        // As one at a time: what came before is recorded, the request fails here.
        await finishRun();
        throw outcome.reason;
      }
      const admission = this.admissionOf(outcome.value);
      if (admission) {
        run.push(this.admissions.admit(admission, true).then(settled));
      } else {
        await finishRun();
        answers.push(await this.record(outcome.value));
      }
    }
    await finishRun();
    return answers;
  }

  /** Records a scan decided on a holder read for it. */
  private async record(context: ScanContext): Promise<ScanAnswer> {
    const admission = this.admissionOf(context);
    if (admission) return settled(await this.admissions.admit(admission));
    try {
      return await this.writer.record(context);
    } catch (error) {
      // A nonce already used (a retry, or the same nonce twice at once): nothing of this scan was
      // written (its transaction rolled back), and the first one's answer is the answer.
      if (context.nonce && isUniqueViolation(error, 'scans_event_nonce_key')) {
        const earlier = await this.contexts.answerForNonce(
          context.event.id,
          context.nonce,
          context.identity,
        );
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  /**
   * The common case, an admission at the entrance (online or offline, with a nonce or without),
   * goes through the grouped writer, which also settles nonces; the rest (refusals, exits,
   * sessions) one by one.
   */
  private admissionOf(context: ScanContext): PendingAdmission | undefined {
    const { decision, list, holder } = context;
    if (decision.action !== 'admit' || list.kind !== 'main' || !holder) return undefined;
    return {
      eventId: context.event.id,
      attendeeId: holder.id,
      badgeVersion: holder.badgeVersion,
      gate: context.gate,
      device: context.principal.label,
      tokenId: context.principal.tokenId,
      nonce: context.nonce ?? null,
      seenAt: context.seenAt,
      qrHash: hashToken(context.identity),
      attendee: doorView(holder),
      expected: context.holderFromCopy
        ? {
            revision: holder.revision,
            status: holder.status,
            erased: holder.erasedAt !== null && holder.erasedAt !== undefined,
          }
        : null,
    };
  }
}

/** The answer of a scan decided on a holder read for it (never HOLDER_CHANGED). */
function settled(answer: ScanAnswer | typeof HOLDER_CHANGED): ScanAnswer {
  if (answer === HOLDER_CHANGED) throw new Error('an admission without expected holder changed');
  return answer;
}

/** An offline device's queue runs through the same handler as scans. */
@CommandHandler(RecordQueuedScans)
export class RecordQueuedScansHandler implements ICommandHandler<RecordQueuedScans, ScanAnswer[]> {
  constructor(private readonly scans: RecordScanHandler) {}

  execute(command: RecordQueuedScans): Promise<ScanAnswer[]> {
    return this.scans.recordQueue(command);
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
