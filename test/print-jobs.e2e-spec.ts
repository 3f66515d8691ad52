import {
  decodeQrCodesByPage,
  RunningServices,
  startThreeServices,
  createSampleCongress,
  uniqueSlug,
  waitFor,
  inParallel,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * A print job whose worker is killed in the middle: BullMQ hands the job to the restarted badges
 * service, which renders it again from the start; the file has every badge exactly once.
 */
describe('a print job survives its worker being killed', () => {
  let running: RunningServices;
  const slug = uniqueSlug('print');

  beforeAll(async () => {
    running = await startThreeServices(4701);
    await createSampleCongress(running.registration, { ...SAMPLE_EVENT, slug }, 'attendees.csv');
  }, 90_000);

  afterAll(() => running.services.stopAll(), 30_000);

  it('prints all 500 badges once after the badges service was killed mid-job', async () => {
    const { registration, badges, services } = running;
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; nextCursor: string | null } } =
        await registration.get(
          `/api/events/${slug}/attendees?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        );
      ids.push(...page.body.items.map((a) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(500);
    const tokens = await waitFor(
      'every badge',
      async () => {
        const answers = await inParallel(
          ids,
          20,
          async (id) => (await badges.get(`/api/events/${slug}/attendees/${id}/badge`)).body,
        );
        return answers.every((b) => b.status === 'issued')
          ? answers.map((b) => b.qr as string)
          : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );

    const created = await badges.post(`/api/events/${slug}/print-jobs`, {
      layout: 'a4-4up',
      sort: 'lastName',
    });
    expect(created.status).toBe(202);
    const jobId = created.body.id as string;
    await waitFor(
      'the job to be under way',
      async () => {
        const { body } = await badges.get(`/api/print-jobs/${jobId}`);
        return body.status === 'running' && body.done > 0 && body.done < body.total;
      },
      { timeoutMs: 60_000, intervalMs: 20 },
    );
    await services.stop('badges', 'SIGKILL');
    expect(
      (await badges.get(`/api/print-jobs/${jobId}/file`).catch(() => ({ status: 0 }))).status,
    ).toBe(0);

    await services.start('badges');
    const finished = await waitFor(
      'the job to be done',
      async () => {
        const { body } = await badges.get(`/api/print-jobs/${jobId}`);
        if (body.status === 'failed') throw new Error(`the job failed: ${body.error}`);
        return body.status === 'done' ? body : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 1000 },
    );
    expect(finished).toMatchObject({ done: 500, total: 500 });

    const file = await badges.get(`/api/print-jobs/${jobId}/file`);
    expect(file.status).toBe(200);
    // Four badges a sheet: 125 sheets, each with four different codes, every badge on one sheet.
    // (Counted per sheet: zbarimg now and then reads one symbol of a page twice.)
    const sheets = (await decodeQrCodesByPage(file.body as Buffer, 150)).map((codes) => [
      ...new Set(codes),
    ]);
    expect(sheets).toHaveLength(125);
    expect(sheets.filter((codes) => codes.length !== 4)).toEqual([]);
    const decoded = sheets.flat();
    expect(decoded).toHaveLength(500);
    expect(new Set(decoded)).toEqual(new Set(tokens));
  }, 300_000);
});
