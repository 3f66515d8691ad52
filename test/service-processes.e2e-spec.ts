import { DataSource } from 'typeorm';
import { dataSourceOptions } from '@einlass/database';
import {
  ServiceProcesses,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  waitFor,
} from '@einlass/testing';
import { checkinDatabase } from '../apps/checkin/testing';
import { DoorFixture } from '../apps/checkin/testing';

/**
 * Check-in in several processes sharing one port (CHECKIN_PROCESSES): a busy entrance uses every
 * core. The processes share nothing but the database, which still admits each badge once; a
 * process that dies is replaced; a stop stops them all.
 */
describe('check-in in several processes', () => {
  const services = new ServiceProcesses(5401, { CHECKIN_PROCESSES: '2', LOG_LEVEL: 'info' });
  let dataSource: DataSource;
  let door: DoorFixture;
  let people: string[];

  const scan = async (qr: string, gate: string) => {
    const response = await fetch(`${services.url('checkin')}/api/events/${door.slug}/scan`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${TEST_ORGANISER_TOKEN}`,
        // A new connection each time, so that the scans spread over the processes.
        connection: 'close',
      },
      body: JSON.stringify({ qr, gate }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { result: string };
  };
  /** Process ids of the service processes that logged answering a scan. */
  const scanAnswerers = () =>
    new Set(
      services
        .log('checkin')
        .split('\n')
        .filter((line) => line.startsWith('{') && line.includes('/scan'))
        .map((line) => (JSON.parse(line) as { pid: number }).pid),
    );

  beforeAll(async () => {
    await services.start('checkin');
    dataSource = await new DataSource(
      dataSourceOptions(TEST_DATABASE_URL, checkinDatabase),
    ).initialize();
    door = await new DoorFixture(dataSource).create();
    people = await door.people(5);
  }, 90_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await services.stopAll();
  });

  it('admits a badge scanned at twenty gates at once exactly once, whichever process answers', async () => {
    const qr = door.qr(people[0]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, gate) => scan(qr, `Tor ${gate}`)),
    );
    expect(answers.filter((a) => a.result === 'admitted')).toHaveLength(1);
    expect(answers.filter((a) => a.result === 'already_admitted')).toHaveLength(19);
    const [{ admissions }] = await dataSource.query<{ admissions: number }[]>(
      `SELECT count(*)::int AS admissions FROM presence WHERE event_id = $1 AND attendee_id = $2`,
      [door.eventId, people[0]],
    );
    expect(admissions).toBe(1);
    const answerers = await waitFor('log lines of both processes', () =>
      Promise.resolve(scanAnswerers().size >= 2 ? scanAnswerers() : undefined),
    );
    expect(answerers.size).toBe(2);
  });

  it('replaces a process that dies, and the door keeps answering', async () => {
    const [victim] = scanAnswerers();
    process.kill(victim, 'SIGKILL');
    await waitFor('the supervisor to notice', () =>
      Promise.resolve(services.log('checkin').includes('a service process died') || undefined),
    );
    // Meanwhile and afterwards, scans are answered (by the survivor, then by both).
    expect((await scan(door.qr(people[1]), 'Nord')).result).toBe('admitted');
    const replacement = await waitFor('a new process answering scans', async () => {
      await scan(door.qr(people[2]), 'Nord');
      const fresh = [...scanAnswerers()].filter((pid) => pid !== victim && !isGone(pid));
      return fresh.length >= 2 ? fresh : undefined;
    });
    expect(replacement).not.toContain(victim);
  });

  it('stops every process on SIGTERM', async () => {
    const pids = [...scanAnswerers()].filter((pid) => !isGone(pid));
    expect(pids.length).toBeGreaterThanOrEqual(2);
    await services.stop('checkin');
    await waitFor('every service process to exit', () =>
      Promise.resolve(pids.every(isGone) || undefined),
    );
    expect(services.log('checkin')).toContain('all service processes stopped');
  });
});

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}
