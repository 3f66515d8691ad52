import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface DoorSettings {
  /** The event's gates; when set, scans at any other gate are refused (400). Empty: any gate. */
  gates: string[];
  /** Whether door devices may keep names and organisations offline (in the scan snapshot). */
  devicesHoldNames: boolean;
}

const DEFAULTS: DoorSettings = { gates: [], devicesHoldNames: false };

/** An event's door settings (an organiser's choice), remembered for a few seconds. */
@Injectable()
export class DoorSettingsStore {
  private readonly cache = new Map<string, { settings: DoorSettings; until: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async of(eventId: string): Promise<DoorSettings> {
    const hit = this.cache.get(eventId);
    if (hit && hit.until > Date.now()) return hit.settings;
    const [row] = await this.dataSource.query<{ gates: string[]; devices_hold_names: boolean }[]>(
      `SELECT gates, devices_hold_names FROM door_settings WHERE event_id = $1`,
      [eventId],
    );
    const settings = row
      ? { gates: row.gates, devicesHoldNames: row.devices_hold_names }
      : DEFAULTS;
    this.cache.set(eventId, { settings, until: Date.now() + 3000 });
    return settings;
  }

  async save(eventId: string, change: Partial<DoorSettings>): Promise<DoorSettings> {
    const current = await this.of(eventId);
    const next = { ...current, ...change };
    await this.dataSource.query(
      `INSERT INTO door_settings (event_id, gates, devices_hold_names) VALUES ($1, $2, $3)
       ON CONFLICT (event_id) DO UPDATE SET gates = excluded.gates,
         devices_hold_names = excluded.devices_hold_names, updated_at = now()`,
      [eventId, next.gates, next.devicesHoldNames],
    );
    this.cache.delete(eventId);
    return next;
  }
}
