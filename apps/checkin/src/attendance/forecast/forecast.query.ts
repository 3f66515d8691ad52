import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '@einlass/auth';
import type { CheckinEvent } from '../../read-model/read-model.entities';
import { learnedFrom, typicalCongressMornings, type ArrivalsPerMinute } from './arrival-curve';
import { ArrivalForecaster, type ArrivalForecast } from './arrival-forecast';

/** Earlier events to learn the curve from: the newest ones, at most. */
const EARLIER_EVENTS = 5;

/**
 * The arrival forecast of an event, from check-in's durable records: the registered people, the
 * first entrance admissions so far, the last half hour's admissions per device (what a lane
 * manages), and the arrivals of earlier events the asking token may see (their curve and turnout).
 */
@Injectable()
export class ForecastQuery {
  constructor(private readonly dataSource: DataSource) {}

  async forEvent(
    event: CheckinEvent,
    principal: Principal,
    now = new Date(),
  ): Promise<ArrivalForecast> {
    const [[{ registered }], arrivals, admissions, earlier] = await Promise.all([
      this.dataSource.query<{ registered: number }[]>(
        `SELECT count(*)::int AS registered FROM attendees
          WHERE event_id = $1 AND status = 'registered' AND erased_at IS NULL`,
        [event.id],
      ),
      this.dataSource.query<{ at: Date; gate: string }[]>(
        `SELECT first_admitted_at AS at, first_gate AS gate FROM presence
          WHERE event_id = $1 AND list = 'main' AND first_admitted_at <= $2`,
        [event.id, now],
      ),
      this.dataSource.query<{ at: Date; gate: string; device: string }[]>(
        `SELECT coalesce(scanned_at, recorded_at) AS at, gate, device FROM scans
          WHERE event_id = $1 AND list = 'main' AND direction = 'in' AND result = 'admitted'
            AND recorded_at > $2::timestamptz - interval '30 minutes' AND recorded_at <= $2`,
        [event.id, now],
      ),
      this.earlierEvents(event, principal),
    ]);
    const curves = learnedFrom(earlier.map((e) => e.arrivals)) ?? typicalCongressMornings();
    const earlierRegistered = earlier.reduce((sum, e) => sum + e.registered, 0);
    const earlierArrived = earlier.reduce(
      (sum, e) => sum + e.arrivals.reduce((n, m) => n + m.count, 0),
      0,
    );
    return new ArrivalForecaster(curves).forecast({
      startsAt: new Date(event.startsAt).getTime(),
      now: now.getTime(),
      timezone: event.timezone,
      registered,
      arrivals: arrivals.map((a) => ({ at: new Date(a.at).getTime(), gate: a.gate })),
      admissionsByDevice: admissions.map((a) => ({
        at: new Date(a.at).getTime(),
        gate: a.gate,
        device: a.device,
      })),
      earlierShowRate:
        earlierRegistered >= 20 ? Math.min(1, earlierArrived / earlierRegistered) : undefined,
    });
  }

  /** Events that started before this one and that the token may see, with their arrivals. */
  private async earlierEvents(
    event: CheckinEvent,
    principal: Principal,
  ): Promise<{ registered: number; arrivals: ArrivalsPerMinute }[]> {
    const rows = await this.dataSource.query<
      { id: string; registered: number; minute: number | null; count: number | null }[]
    >(
      `WITH earlier AS (
         SELECT id, starts_at FROM events
          WHERE starts_at < $1 AND id <> $2 AND ($3::text[] = '{}' OR slug = ANY($3))
          ORDER BY starts_at DESC LIMIT ${EARLIER_EVENTS})
       SELECT e.id,
              (SELECT count(*)::int FROM attendees a WHERE a.event_id = e.id AND a.status = 'registered') AS registered,
              m.minute, m.count
         FROM earlier e
         LEFT JOIN LATERAL (
           SELECT floor(extract(epoch FROM p.first_admitted_at - e.starts_at) / 60)::int AS minute,
                  count(*)::int AS count
             FROM presence p WHERE p.event_id = e.id AND p.list = 'main'
            GROUP BY 1) m ON true`,
      [event.startsAt, event.id, principal.events],
    );
    const byEvent = new Map<string, { registered: number; arrivals: ArrivalsPerMinute }>();
    for (const row of rows) {
      const entry = byEvent.get(row.id) ?? { registered: row.registered, arrivals: [] };
      if (row.minute !== null && row.count !== null) {
        entry.arrivals.push({ minute: row.minute, count: row.count });
      }
      byEvent.set(row.id, entry);
    }
    return [...byEvent.values()].filter((e) => e.arrivals.length > 0);
  }
}
