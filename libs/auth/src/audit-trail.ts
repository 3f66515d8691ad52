import type { DataSource, EntityManager } from 'typeorm';
import { AuditEntry, EventType } from '@einlass/contracts';
import { writeToOutbox } from '@einlass/outbox';
import type { Principal } from './principal';

/** What the audit log records (docs/API.md, "Audit log"). */
export const AUDIT_ACTIONS = [
  'attendee.registered',
  'attendee.read',
  'attendee.changed',
  'attendee.cancelled',
  'attendee.erased',
  'attendee.personal_data_read',
  'attendees.imported',
  'event.retention_changed',
  'event.erased',
  'export.downloaded',
  'token.issued',
  'token.revoked',
  'door_settings.changed',
  'badge.reissued',
  'print_job.created',
  'print_job.downloaded',
  'badge.downloaded',
  'certificate.issued',
  'certificate_job.created',
  'certificate_job.downloaded',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

type Service = AuditEntry['service'];

/** What a service says about an action; who and when are added by AuditTrail. */
export interface AuditRecord {
  eventId: string | null;
  action: AuditAction;
  attendeeId?: string | null;
  details?: AuditEntry['details'];
}

/**
 * The audit log, as each service writes to it: an entry goes to the service's outbox (in the
 * transaction of what it records, when there is one) and travels to registration, which keeps the
 * log. An entry names the token (id and label, never the token) and what was done; it must never
 * hold names, emails or organisations: ids, counts, file names and field names only.
 */
export const AuditTrail = {
  async record(
    manager: EntityManager,
    service: Service,
    principal: Principal,
    entry: AuditRecord,
  ): Promise<void> {
    await writeToOutbox(manager, EventType.AuditRecorded, {
      entry: {
        eventId: entry.eventId,
        at: new Date().toISOString(),
        service,
        tokenId: principal.tokenId,
        tokenLabel: principal.label,
        action: entry.action,
        attendeeId: entry.attendeeId ?? null,
        details: entry.details ?? {},
      },
    });
  },

  /** For reads and downloads, which have no transaction of their own. */
  recordAlone(
    dataSource: DataSource,
    service: Service,
    principal: Principal,
    entry: AuditRecord,
  ): Promise<void> {
    return dataSource.transaction((manager) =>
      AuditTrail.record(manager, service, principal, entry),
    );
  },
};
