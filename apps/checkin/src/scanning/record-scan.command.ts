import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { hashToken, Principal } from '@einlass/auth';
import type { ScanAnswer } from '@einlass/contracts';
import { isUniqueViolation } from '@einlass/database';
import { doorView } from '../read-model/read-model.entities';
import { AdmissionBatcher } from './admission-batcher';
import { AdmissionWriter } from './admission-writer';
import { ScanContext, ScanContexts } from './scan-context';
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

  async execute({ eventSlug, scan, principal }: RecordScan): Promise<ScanAnswer> {
    const resolved = await this.contexts.ofScan(eventSlug, scan, principal);
    return 'earlier' in resolved ? resolved.earlier : this.record(resolved.context);
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

  private async record(context: ScanContext): Promise<ScanAnswer> {
    const { decision, list, holder } = context;
    // The common case at the entrance goes through the grouped writer; the rest (refusals, exits,
    // sessions, offline and nonce'd scans) one by one.
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
      return await this.writer.record(context);
    } catch (error) {
      // The same nonce arrived twice at once: the first one's answer is the answer.
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
}

/** Manual check-in runs through the same handler as scans. */
@CommandHandler(CheckInManually)
export class CheckInManuallyHandler implements ICommandHandler<CheckInManually, ScanAnswer> {
  constructor(private readonly scans: RecordScanHandler) {}

  execute(command: CheckInManually): Promise<ScanAnswer> {
    return this.scans.checkInManually(command);
  }
}
