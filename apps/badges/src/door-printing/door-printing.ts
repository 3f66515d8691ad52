import { ForbiddenException } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { EventPayload, EventType } from '@einlass/contracts';
import type { Principal } from '@einlass/auth';

type DoorSettingsChanged = EventPayload<typeof EventType.DoorSettingsChanged>;

/**
 * Whether an event lets door devices print a badge at the door (`devicesMayPrint` in check-in's
 * door settings, heard through `door_settings.changed`, the newest revision kept). Organisers may
 * always; door tokens (and desk tokens, which may what door tokens may) re-issue a badge only
 * where the event allows it, and door tokens fetch a badge PDF only there.
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
