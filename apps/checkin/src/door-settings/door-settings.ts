import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { doorSettingsChanged } from '../published-events';

export interface DoorSettings {
  /** The event's gates; when set, scans at any other gate are refused (400). Empty: any gate. */
  gates: string[];
  /** Whether door devices may keep names and organisations offline (in the scan snapshot). */
  devicesHoldNames: boolean;
  /**
   * Whether door tokens may re-issue a badge and print it at the door (the scanner page's "Print
   * badge"). The badges service decides that, from `door_settings.changed`.
   */
  devicesMayPrint: boolean;
}

const DEFAULTS: DoorSettings = { gates: [], devicesHoldNames: false, devicesMayPrint: false };

interface DoorSettingsRow {
  gates: string[];
  devices_hold_names: boolean;
  devices_may_print: boolean;
  revision: number;
}

const settingsOf = (row: DoorSettingsRow): DoorSettings => ({
  gates: row.gates,
  devicesHoldNames: row.devices_hold_names,
  devicesMayPrint: row.devices_may_print,
});

/** An event's door settings (an organiser's choice), remembered for a few seconds. */
@Injectable()
export class DoorSettingsStore {
  private readonly cache = new Map<string, { settings: DoorSettings; until: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async of(eventId: string): Promise<DoorSettings> {
    const hit = this.cache.get(eventId);
    if (hit && hit.until > Date.now()) return hit.settings;
    const [row] = await this.dataSource.query<DoorSettingsRow[]>(
      `SELECT gates, devices_hold_names, devices_may_print, revision
         FROM door_settings WHERE event_id = $1`,
      [eventId],
    );
    const settings = row ? settingsOf(row) : DEFAULTS;
    this.cache.set(eventId, { settings, until: Date.now() + 3000 });
    return settings;
  }

  /**
   * Changes the fields given, in the caller's transaction: the row is locked and read there (not
   * from the cache, which another process may hold stale), its revision raised, and the change
   * written to the outbox (`door_settings.changed`) in the same transaction.
   */
  async save(
    manager: EntityManager,
    eventId: string,
    change: Partial<DoorSettings>,
  ): Promise<DoorSettings> {
    await manager.query(
      `INSERT INTO door_settings (event_id) VALUES ($1) ON CONFLICT (event_id) DO NOTHING`,
      [eventId],
    );
    const [current] = await manager.query<DoorSettingsRow[]>(
      `SELECT gates, devices_hold_names, devices_may_print, revision
         FROM door_settings WHERE event_id = $1 FOR UPDATE`,
      [eventId],
    );
    const next = { ...settingsOf(current), ...change };
    const revision = current.revision + 1;
    await manager.query(
      `UPDATE door_settings SET gates = $2, devices_hold_names = $3, devices_may_print = $4,
              revision = $5, updated_at = now()
        WHERE event_id = $1`,
      [eventId, next.gates, next.devicesHoldNames, next.devicesMayPrint, revision],
    );
    await doorSettingsChanged(manager, eventId, revision, next.devicesMayPrint);
    this.cache.delete(eventId);
    return next;
  }
}
