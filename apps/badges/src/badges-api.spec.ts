import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  bearer,
  eventSnapshot,
  startInProcess,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { Queue } from 'bullmq';
import { QueueName } from '@einlass/contracts';
import { redisOptionsFromUrl } from '@einlass/messaging';
import { decodeQrCodesInPdf } from '@einlass/testing';
import { verifyTicket, publicKeyFrom } from '@einlass/tickets';
import { BadgesModule } from './badges.module';
import { SyncBadge } from './issuing/sync-badge.command';
import { CommandBus } from '@nestjs/cqrs';

/** The badge endpoints on a real database, and issuing that a second delivery cannot repeat. */
describe('badges API', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  const slug = uniqueSlug('badge');
  const event = eventSnapshot(slug, 'Kongress');
  const attendee = {
    id: randomUUID(),
    eventId: event.id,
    externalId: null,
    title: 'Dr.',
    firstName: 'Σοφία',
    lastName: 'Παπαδοπούλου',
    organisation: 'Stadtverwaltung Jena',
    category: 'speaker' as const,
    sessions: [],
    waitlist: [],
    status: 'registered' as const,
    revision: 1,
  };
  const get = (url: string, headers = bearer(TEST_ORGANISER_TOKEN)) =>
    app.inject({ method: 'GET', url, headers });
  const issue = () =>
    db.transaction((manager) =>
      app.get(CommandBus).execute(new SyncBadge(manager, event, attendee)),
    );

  beforeAll(async () => {
    app = await startInProcess(BadgesModule);
    db = app.get(DataSource);
  });

  afterAll(() => app.close());

  it('issues a badge once: a second delivery changes nothing', async () => {
    expect(await issue()).toBe('issued');
    expect(await issue()).toBe('unchanged');
    const [{ badges, messages }] = await db.query(
      `SELECT (SELECT count(*)::int FROM badges.badges WHERE id = $1) AS badges,
              (SELECT count(*)::int FROM badges.outbox WHERE payload->'badge'->>'id' = $1::text) AS messages`,
      [attendee.id],
    );
    expect({ badges, messages }).toEqual({ badges: 1, messages: 1 });
  });

  it('shows the issued badge with a token that verifies with the event public key', async () => {
    const { json, statusCode } = await get(`/api/events/${slug}/attendees/${attendee.id}/badge`);
    expect(statusCode).toBe(200);
    const badge = json();
    expect(badge).toMatchObject({ status: 'issued', version: 1 });
    const [{ public_key: publicKey }] = await db.query(
      `SELECT public_key FROM badges.signing_keys WHERE event_id = $1`,
      [event.id],
    );
    expect(verifyTicket(badge.qr, () => publicKeyFrom(publicKey))).toMatchObject({
      valid: true,
      claims: { badgeId: attendee.id, eventId: event.id },
    });
  });

  it('renders the badge PDF with the right QR code', async () => {
    const response = await get(`/api/events/${slug}/attendees/${attendee.id}/badge.pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    const [decoded] = await decodeQrCodesInPdf(response.rawPayload);
    expect(decoded).toBe(
      (await get(`/api/events/${slug}/attendees/${attendee.id}/badge`)).json().qr,
    );
  });

  it('answers pending for a badge not issued yet, and 409 for its PDF', async () => {
    const id = randomUUID();
    expect((await get(`/api/events/${slug}/attendees/${id}/badge`)).json()).toMatchObject({
      status: 'pending',
      qr: null,
    });
    const pdf = await get(`/api/events/${slug}/attendees/${id}/badge.pdf`);
    expect(pdf.statusCode).toBe(409);
    expect(pdf.json()).toMatchObject({ statusCode: 409, error: 'Conflict' });
  });

  it.each([
    ['an unknown event', `/api/events/no-such-event/attendees/${randomUUID()}/badge`, 404],
    ['an id that is not an id', `/api/events/${slug}/attendees/1%20OR%201=1/badge`, 404],
  ])('answers %s with a clear 4xx', async (_, url, status) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ statusCode: status });
  });

  it('fails a malformed message visibly instead of changing anything', async () => {
    const queue = new Queue(QueueName.Badges, {
      prefix: process.env.QUEUE_PREFIX,
      connection: redisOptionsFromUrl(process.env.REDIS_URL!),
    });
    try {
      const job = await queue.add(
        'attendee.registered',
        {
          messageId: `test-${randomUUID()}`,
          type: 'attendee.registered',
          schemaVersion: 1,
          occurredAt: new Date().toISOString(),
          payload: { event, attendee: { ...attendee, id: 'not-a-uuid' } },
        },
        { attempts: 1 },
      );
      const failed = await waitFor('the job to fail', async () =>
        (await job.isFailed()) ? await queue.getJob(job.id!) : undefined,
      );
      expect(failed?.failedReason).toContain('attendee');
      expect(failed?.failedReason).toContain('id');
    } finally {
      await queue.close();
    }
  });

  it('answers 401 without a valid token', async () => {
    expect((await get(`/api/events/${slug}/attendees/${attendee.id}/badge`, {})).statusCode).toBe(
      401,
    );
  });
});
