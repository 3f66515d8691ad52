import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { bearer, startInProcess, TEST_ORGANISER_TOKEN } from '@einlass/testing';
import { DoorFixture } from '../../../test/door-fixture';
import { CheckinModule } from '../../checkin.module';

const MINUTE = 60_000;

/**
 * GET /api/events/:slug/attendance/forecast on a real database: an event starting in half an hour,
 * 60 of 120 registered people admitted over the last 40 minutes by offline devices at two gates.
 */
describe('arrival forecast API', () => {
  let app: NestFastifyApplication;
  let door: DoorFixture;
  const organiser = bearer(TEST_ORGANISER_TOKEN);

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    door = await new DoorFixture(app.get(DataSource)).create({
      startsAt: new Date(Date.now() + 30 * MINUTE),
    });
    const people = await door.people(120);
    const now = Date.now();
    const queue = people.slice(0, 60).map((id, i) => ({
      qr: door.qr(id),
      gate: i % 3 === 0 ? 'Süd' : 'Nord',
      nonce: `forecast-${i}`,
      scannedAt: new Date(now - 40 * MINUTE + i * 40_000).toISOString(),
    }));
    const synced = await app.inject({
      method: 'POST',
      url: `/api/events/${door.slug}/scans`,
      payload: queue,
      headers: organiser,
    });
    expect(synced.statusCode).toBe(200);
  });

  afterAll(() => app.close());

  it('answers expected arrivals with a range, each gate’s outlook and a recommendation', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/events/${door.slug}/attendance/forecast`,
      headers: organiser,
    });
    expect(response.statusCode).toBe(200);
    const forecast = response.json();
    expect(forecast).toMatchObject({ arrived: 60, registered: 120 });
    expect(forecast.next.map((n: { minutes: number }) => n.minutes)).toEqual([15, 30, 60]);
    for (const n of forecast.next) {
      expect(n.low).toBeLessThanOrEqual(n.expected);
      expect(n.expected).toBeLessThanOrEqual(n.high);
      expect(n.high).toBeLessThanOrEqual(60); // never more than those not yet here
    }
    expect(forecast.next[0].expected).toBeGreaterThan(0);
    expect(forecast.gates.map((g: { gate: string }) => g.gate)).toEqual(['Nord', 'Süd']);
    const nord = forecast.gates[0];
    expect(nord.share).toBeCloseTo(40 / 60, 1);
    expect(nord.lanes).toBeGreaterThanOrEqual(1);
    expect(nord.queue.map((q: { minutes: number }) => q.minutes)).toEqual([15, 30, 60]);
    expect(typeof forecast.recommendation).toBe('string');
  });

  it('answers 404 for an unknown event and 403 for a door token', async () => {
    const unknown = await app.inject({
      method: 'GET',
      url: `/api/events/no-such-event/attendance/forecast`,
      headers: organiser,
    });
    expect(unknown.statusCode).toBe(404);
    const doorToken = await door.token('door');
    const refused = await app.inject({
      method: 'GET',
      url: `/api/events/${door.slug}/attendance/forecast`,
      headers: bearer(doorToken),
    });
    expect(refused.statusCode).toBe(403);
  });
});
