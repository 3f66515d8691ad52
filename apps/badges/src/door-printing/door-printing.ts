import { ForbiddenException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventPayload, EventType } from '@einlass/contracts';
import type { Principal } from '@einlass/auth';

type DoorSettingsChanged = EventPayload<typeof EventType.DoorSettingsChanged>;

/** How long after its own re-issue a door token may fetch that badge's PDF. */
export const DOOR_REPRINT_MINUTES = 15;

/**
 * Whether an event lets door devices print a badge at the door (`devicesMayPrint` in check-in's
 * door settings, heard through `door_settings.changed`, the newest revision kept). Organisers may
 * always; door tokens (and desk tokens, which may what door tokens may) re-issue a badge only
 * where the event allows it, and door tokens fetch a badge PDF only there, and only of a badge
 * they re-issued themselves within DOOR_REPRINT_MINUTES (the version they re-issued): a door
 * device prints for the person in front of it, not anyone's badge.
 */
export const DoorPrinting = {
  /** Keeps the settings if they are newer than those held: a late or repeated message is a no-op. */
  async record(manager: EntityManager, change: DoorSettingsChanged): Promise<void> {
    await manager.query(
      `INSERT INTO door_printing (event_id, devices_may_print, revision) VALUES ($1, $2, $3)
       ON CONFLICT (event_id) DO UPDATE
          SET devices_may_print = excluded.devices_may_print, revision = excluded.revision,
              updated_at = now()
        WHERE door_printing.revision < excluded.revision`,
      [change.eventId, change.devicesMayPrint, change.revision],
    );
  },

  async allowed(dataSource: DataSource, eventId: string): Promise<boolean> {
    const [row] = await dataSource.query<{ devices_may_print: boolean }[]>(
      `SELECT devices_may_print FROM door_printing WHERE event_id = $1`,
      [eventId],
    );
    return row?.devices_may_print ?? false;
  },

  /** Notes, in the re-issue's transaction, that a door token re-issued this badge version. */
  async recordReissue(
    manager: EntityManager,
    principal: Principal,
    badge: { id: string; eventId: string; version: number },
  ): Promise<void> {
    if (principal.role !== 'door' || !principal.tokenId) return;
    await manager.query(
      `INSERT INTO door_reprints (badge_id, token_id, version, event_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT DO NOTHING`,
      [badge.id, principal.tokenId, badge.version, badge.eventId],
    );
    // what no rule needs any more: a day is ample for a device's print dialog
    await manager.query(`DELETE FROM door_reprints WHERE reissued_at < now() - interval '1 day'`);
  },

  /** 403 for a door token asking for a badge PDF it has not just re-issued itself. */
  async assertReissuedBy(
    dataSource: DataSource,
    principal: Principal,
    badge: { id: string; version: number },
  ): Promise<void> {
    if (principal.role !== 'door') return;
    const [row] = await dataSource.query<unknown[]>(
      `SELECT 1 FROM door_reprints
        WHERE badge_id = $1 AND token_id = $2 AND version = $3
          AND reissued_at > now() - make_interval(mins => $4)`,
      [badge.id, principal.tokenId, badge.version, DOOR_REPRINT_MINUTES],
    );
    if (row) return;
    throw new ForbiddenException(
      `A door device prints only a badge it has re-issued itself in the last ${DOOR_REPRINT_MINUTES} minutes: re-issue it (POST …/badge/reissue), then fetch the PDF`,
    );
  },

  /**
   * 403 unless `principal` may use a printing route of event `eventId`: organisers always, the
   * roles in `restricted` only where the event lets devices print.
   */
  async assertMayPrint(
    dataSource: DataSource,
    principal: Principal,
    eventId: string,
    restricted: Principal['role'][],
  ): Promise<void> {
    if (!restricted.includes(principal.role)) return;
    if (await DoorPrinting.allowed(dataSource, eventId)) return;
    throw new ForbiddenException(
      `This event does not let ${principal.role} tokens print badges; an organiser can allow it in the door settings ("devicesMayPrint")`,
    );
  },
};
