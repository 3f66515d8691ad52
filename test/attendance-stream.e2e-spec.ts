import {
  ApiClient,
  createSampleCongress,
  RunningServices,
  ServiceProcesses,
  SseClient,
  startThreeServices,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * An organiser's dashboard following the live attendance of one check-in instance, while scans
 * are recorded at a second instance (as behind a load balancer): changes reach it across instances,
 * and when its instance is killed or stopped and started again, the client reconnects by itself
 * and sees the scans recorded while it was disconnected. Real processes, queues and database.
 */
describe('the live attendance stream across check-in restarts', () => {
  let running: RunningServices;
  let second: ServiceProcesses;
  let otherCheckin: ApiClient;
  let stream: SseClient;
  const slug = uniqueSlug('stream');
  const qrs: string[] = [];

  const scanAt = async (client: ApiClient, qr: string) => {
    const { body } = await client.post(`/api/events/${slug}/scan`, { qr, gate: 'Nord' });
    expect(body.result).toBe('admitted');
  };
  const shown = () => stream.last<{ checkedIn: number; registered: number }>();

  beforeAll(async () => {
    running = await startThreeServices(5001);
    second = new ServiceProcesses(5011);
    await second.start('checkin');
    otherCheckin = new ApiClient(second.url('checkin'), TEST_ORGANISER_TOKEN);
    const { registration, badges } = running;
    await createSampleCongress(registration, { ...SAMPLE_EVENT, slug }, null);
    for (let n = 1; n <= 6; n++) {
      const created = await registration.post(`/api/events/${slug}/attendees`, {
        firstName: 'Erika',
        lastName: `Muster ${n}`,
        category: 'attendee',
      });
      expect(created.status).toBe(201);
      const badge = await waitFor(`badge ${n}`, async () => {
        const { body } = await badges.get(`/api/events/${slug}/attendees/${created.body.id}/badge`);
        return body.status === 'issued' ? body : undefined;
      });
      qrs.push(badge.qr as string);
    }
  }, 120_000);

  afterAll(async () => {
    await stream?.close();
    await second?.stopAll();
    await running?.services.stopAll();
  }, 30_000);

  it('follows scans at another instance, and catches up after its instance is killed and restarted', async () => {
    const url = `${running.checkin.baseUrl}/api/events/${slug}/attendance/stream`;
    stream = await SseClient.open(url, { token: TEST_ORGANISER_TOKEN, reconnect: true });
    expect(stream.status).toBe(200);
    // The read model fills through the queue: the stream says so as it happens.
    await stream.waitFor(() => shown()?.registered === 6, { description: '6 registered' });
    expect(shown()!.checkedIn).toBe(0);

    // A scan at the other instance reaches this one's stream (NOTIFY goes to every listener).
    const sentAt = Date.now();
    await scanAt(otherCheckin, qrs[0]);
    const update = await stream.next((m) => JSON.parse(m.data).checkedIn === 1, 5000);
    expect(update.receivedAt - sentAt).toBeLessThan(1000);

    // Killed: the client loses the stream; scans go on at the other instance meanwhile.
    await running.services.stop('checkin', 'SIGKILL');
    await waitFor('the client to notice', () => Promise.resolve(!stream.connected));
    await scanAt(otherCheckin, qrs[1]);
    await scanAt(otherCheckin, qrs[2]);

    // Restarted: the client reconnects by itself and starts from the whole, current object.
    await running.services.start('checkin');
    const caughtUp = await stream.waitFor((m) => m.connection === 2, {
      timeoutMs: 15_000,
      description: 'the first object after reconnecting',
    });
    expect(JSON.parse(caughtUp.data).checkedIn).toBe(3);
    expect(caughtUp.data).toBe(
      JSON.stringify((await running.checkin.get(`/api/events/${slug}/attendance`)).body),
    );

    // And the restarted instance's own scans and listener work.
    await scanAt(running.checkin, qrs[3]);
    await stream.waitFor(() => shown()!.checkedIn === 4, { timeoutMs: 3000 });
  }, 90_000);

  it('is ended at once when its instance stops gracefully, and resumes after the restart', async () => {
    const stopping = Date.now();
    const stopped = running.services.stop('checkin', 'SIGTERM');
    await waitFor('the stream to end', () => Promise.resolve(!stream.connected), {
      intervalMs: 10,
    });
    expect(Date.now() - stopping).toBeLessThan(2000);
    await stopped;
    await scanAt(otherCheckin, qrs[4]);
    await running.services.start('checkin');
    const resumed = await stream.waitFor((m) => m.connection === 3, {
      timeoutMs: 15_000,
      description: 'the first object after the second reconnect',
    });
    expect(JSON.parse(resumed.data).checkedIn).toBe(5);
    await scanAt(otherCheckin, qrs[5]);
    await stream.waitFor(() => shown()!.checkedIn === 6, { timeoutMs: 3000 });
  }, 90_000);
});
