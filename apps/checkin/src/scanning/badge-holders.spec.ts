import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { startInProcess, waitFor } from '@einlass/testing';
import { DoorFixture } from '../../test/door-fixture';
import { CheckinModule } from '../checkin.module';
import { BadgeHolders } from './badge-holders';

/** The copy of an event's badge holders that online scans are decided on (no read per scan). */
describe('badge holders in memory', () => {
  let app: NestFastifyApplication;
  let db: DataSource;
  let holders: BadgeHolders;

  beforeAll(async () => {
    app = await startInProcess(CheckinModule);
    db = app.get(DataSource);
    holders = app.get(BadgeHolders);
  });

  afterAll(() => app.close());

  it('reads an event of many holders whole, page by page, and no one of another event', async () => {
    const door = await new DoorFixture(db).create();
    const other = await new DoorFixture(db).create();
    // More than two pages, all of one name (the pages are in name order: ties go by id).
    const ids = await door.people(2_345);
    const others = await other.people(10);

    expect(holders.known(door.eventId, ids[0])).toBeUndefined(); // starts the read
    const missing = () => ids.filter((id) => holders.known(door.eventId, id) === undefined);
    await waitFor('every holder in the copy', () => Promise.resolve(missing().length === 0), {
      explain: () => Promise.resolve(`${missing().length} of ${ids.length} not in the copy`),
    });
    expect(holders.known(door.eventId, ids[2_344])).toMatchObject({
      id: ids[2_344],
      eventId: door.eventId,
      lastName: 'Mustermann',
      status: 'registered',
    });
    expect(holders.known(door.eventId, others[0])).toBeUndefined();
  });

  it('reads the holders of an event on its day when check-in starts, before any scan', async () => {
    const today = await new DoorFixture(db).create({ startsAt: new Date() });
    const past = await new DoorFixture(db).create();
    await today.people(1_500);
    await past.people(700);
    const restarted = await startInProcess(CheckinModule);
    try {
      const copy = restarted.get(BadgeHolders);
      await waitFor(
        'the holders of the day in the copy',
        () => Promise.resolve(copy.size === 1_500),
        {
          explain: () => Promise.resolve(`${copy.size} in the copy`),
        },
      );
      // nothing more comes: the past event is read only when scanned
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(copy.size).toBe(1_500);
    } finally {
      await restarted.close();
    }
  });
});
