import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DoorSettingsStore } from '../door-settings/door-settings';
import { CheckinEvent } from '../read-model/read-model.entities';

/**
 * What a door device needs to decide on its own when the network drops: the public keys (and the
 * retired ones' ids), every
 * badge's current version and lists, which registrations are cancelled, and who is already in.
 * Names and organisations only when the organisers allow devices to hold them.
 */
@Injectable()
export class ScanSnapshotQuery {
  constructor(
    private readonly dataSource: DataSource,
    private readonly settings: DoorSettingsStore,
  ) {}

  async forEvent(event: CheckinEvent) {
    const settings = await this.settings.of(event.id);
    const [keys, sessions, badges, admissions] = await Promise.all([
      this.dataSource.query<{ key_id: string; public_key: string; retired: boolean }[]>(
        `SELECT key_id, public_key, retired_at IS NOT NULL AS retired
           FROM signing_keys WHERE event_id = $1 ORDER BY key_id`,
        [event.id],
      ),
      this.dataSource.query<{ code: string; title: string; kind: string; capacity: number }[]>(
        `SELECT code, title, kind, capacity FROM sessions WHERE event_id = $1 ORDER BY code`,
        [event.id],
      ),
      this.dataSource.query<
        {
          id: string;
          badge_version: number | null;
          status: string;
          category: string;
          sessions: string[];
          title: string | null;
          first_name: string;
          last_name: string;
          organisation: string | null;
        }[]
      >(
        // An erased person's badge is revoked for good: devices refuse it like a cancelled one.
        `SELECT id, badge_version, CASE WHEN erased_at IS NULL THEN status ELSE 'cancelled' END AS status,
                category, sessions, title, first_name, last_name, organisation
           FROM attendees WHERE event_id = $1`,
        [event.id],
      ),
      this.dataSource.query<
        {
          list: string;
          attendee_id: string;
          first_admitted_at: Date;
          first_gate: string;
          inside: boolean;
        }[]
      >(
        `SELECT list, attendee_id, first_admitted_at, first_gate, inside FROM presence WHERE event_id = $1`,
        [event.id],
      ),
    ]);
    const admitted: Record<
      string,
      Record<string, { at: string; gate: string; inside: boolean }>
    > = {};
    for (const row of admissions) {
      (admitted[row.list] ??= {})[row.attendee_id] = {
        at: new Date(row.first_admitted_at).toISOString(),
        gate: row.first_gate,
        inside: row.inside,
      };
    }
    return {
      generatedAt: new Date().toISOString(),
      event: { id: event.id, slug: event.slug, name: event.name, timezone: event.timezone },
      devicesHoldNames: settings.devicesHoldNames,
      devicesMayPrint: settings.devicesMayPrint,
      gates: settings.gates,
      // A retired key leaves the devices: its badges are refused without checking a signature.
      keys: keys
        .filter((k) => !k.retired)
        .map((k) => ({ keyId: k.key_id, publicKey: k.public_key })),
      retiredKeys: keys.filter((k) => k.retired).map((k) => k.key_id),
      lists: [{ code: 'main', title: 'Entrance', kind: 'entrance', capacity: null }, ...sessions],
      badges: Object.fromEntries(
        badges.map((b) => [
          b.id,
          {
            version: b.badge_version,
            status: b.status,
            category: b.category,
            sessions: b.sessions,
            ...(settings.devicesHoldNames
              ? {
                  name: [b.title, b.first_name, b.last_name].filter(Boolean).join(' '),
                  organisation: b.organisation,
                }
              : {}),
          },
        ]),
      ),
      revoked: badges.filter((b) => b.status === 'cancelled').map((b) => b.id),
      admitted,
    };
  }
}
