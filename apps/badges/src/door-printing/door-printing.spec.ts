import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { EventType, QueueName } from '@einlass/contracts';
import { redisOptionsFromUrl } from '@einlass/messaging';
import { startInProcess, waitFor } from '@einlass/testing';
import { BadgesModule } from '../badges.module';

/**
 * Badges keeps each event's door settings as check-in sends them (`door_settings.changed` on its
 * queue, through the real processor): the newest revision wins, a late or repeated message changes
 * nothing, and a malformed one fails its job without touching the table.
 */
describe('badges: door_settings.changed, the newest revision kept', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let queue: Queue;
  const eventId = randomUUID();

  const send = async (payload: unknown, messageId = `checkin-${randomUUID()}`) =>
    queue.add(EventType.DoorSettingsChanged, {
      messageId,
      type: EventType.DoorSettingsChanged,
      schemaVersion: 1,
      occurredAt: new Date().toISOString(),
      payload,
    });
  const held = async () =>
    (
      await db.query<{ devices_may_print: boolean; revision: number }[]>(
        `SELECT devices_may_print, revision FROM door_printing WHERE event_id = $1`,
        [eventId],
      )
    )[0];
  const handled = (messageId: string) =>
    waitFor(`message ${messageId} handled`, async () => {
      const rows: unknown[] = await db.query(`SELECT 1 FROM inbox WHERE message_id = $1`, [
        messageId,
      ]);
      return rows.length === 1;
    });

  beforeAll(async () => {
    app = await startInProcess(BadgesModule);
    db = app.get(DataSource);
    queue = new Queue(QueueName.Badges, {
      prefix: process.env.QUEUE_PREFIX,
      connection: redisOptionsFromUrl(process.env.REDIS_URL!),
    });
  });

  afterAll(async () => {
    await queue?.close();
    await app?.close();
  });

  it('keeps revision 2 over a late revision 1, and a repeated message changes nothing', async () => {
    const second = `checkin-${randomUUID()}`;
    await send({ eventId, revision: 2, devicesMayPrint: true }, second);
    await handled(second);
    expect(await held()).toEqual({ devices_may_print: true, revision: 2 });

    const late = `checkin-${randomUUID()}`;
    await send({ eventId, revision: 1, devicesMayPrint: false }, late);
    await handled(late);
    expect(await held()).toEqual({ devices_may_print: true, revision: 2 });

    const third = `checkin-${randomUUID()}`;
    await send({ eventId, revision: 3, devicesMayPrint: false }, third);
    await handled(third);
    expect(await held()).toEqual({ devices_may_print: false, revision: 3 });
    // the second message again (a redelivery): its id is in the inbox, so nothing happens
    const again = await send({ eventId, revision: 2, devicesMayPrint: true }, second);
    await waitFor('the repeat to be done', async () => (await again.isCompleted()) || undefined);
    expect(await held()).toEqual({ devices_may_print: false, revision: 3 });
  });

  it('fails a malformed message visibly and keeps what it held', async () => {
    const job = await send({ eventId, revision: 4, devicesMayPrint: 'yes' });
    const failed = await waitFor('the job to fail', async () =>
      (await job.isFailed()) ? await queue.getJob(job.id!) : undefined,
    );
    expect(failed?.failedReason).toContain('devicesMayPrint');
    expect(await held()).toEqual({ devices_may_print: false, revision: 3 });
  });
});
