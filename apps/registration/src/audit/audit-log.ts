import type { EntityManager } from 'typeorm';
import type { AuditEntry } from '@einlass/contracts';

/**
 * The audit log, kept by registration for all three services: append-only (the table refuses
 * UPDATE, DELETE and TRUNCATE), one row per entry, a redelivered entry recorded once.
 */
export const AuditLog = {
  async append(manager: EntityManager, messageId: string, entry: AuditEntry): Promise<void> {
    await manager.query(
      `INSERT INTO audit_log (message_id, event_id, at, service, token_id, token_label, action,
                              attendee_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (message_id) DO NOTHING`,
      [
        messageId,
        entry.eventId,
        entry.at,
        entry.service,
        entry.tokenId,
        entry.tokenLabel,
        entry.action,
        entry.attendeeId,
        JSON.stringify(entry.details),
      ],
    );
  },
};
