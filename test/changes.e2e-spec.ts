import {
  ApiClient,
  createSampleCongress,
  decodeQrCodesInPdf,
  RunningServices,
  startThreeServices,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

/**
 * Organisers' changes reach the door: a renamed attendee's old badge is refused and the reprinted
 * one admitted; a cancelled registration's badge is refused. Three processes, real queues.
 */
describe('changes flow from registration through badges to the door', () => {
  let running: RunningServices;
  const slug = uniqueSlug('changes');
  let registration: ApiClient;
  let badges: ApiClient;
  let checkin: ApiClient;

  const badgeOf = (id: string) => badges.get(`/api/events/${slug}/attendees/${id}/badge`);
  const scan = (qr: string, gate = 'Nord') =>
    checkin.post(`/api/events/${slug}/scan`, { qr, gate });
  const find = async (q: string) =>
    (await registration.get(`/api/events/${slug}/attendees?q=${encodeURIComponent(q)}`)).body
      .items[0];

  beforeAll(async () => {
    running = await startThreeServices(4301);
    ({ registration, badges, checkin } = running);
    const imported = await createSampleCongress(registration, { ...SAMPLE_EVENT, slug });
    expect(imported?.rejected).toEqual([]);
  }, 90_000);

  afterAll(() => running.services.stopAll(), 30_000);

  it('refuses the old badge of a renamed attendee, saying a newer one exists, and admits the reprint', async () => {
    const person = await find('TEGK23-00001');
    const { body: first } = await waitFor('the first badge', async () => {
      const response = await badgeOf(person.id);
      return response.body.status === 'issued' ? response : undefined;
    });
    expect(first.version).toBe(1);

    const renamed = await registration.request(
      'PATCH',
      `/api/events/${slug}/attendees/${person.id}`,
      {
        firstName: 'Björn-Ole',
      },
    );
    expect(renamed.status).toBe(200);
    const { body: second } = await waitFor('the reprinted badge', async () => {
      const response = await badgeOf(person.id);
      return response.body.version === 2 ? response : undefined;
    });
    expect(second.qr).not.toBe(first.qr);
    const pdf = await badges.get(`/api/events/${slug}/attendees/${person.id}/badge.pdf`);
    expect(await decodeQrCodesInPdf(pdf.body as Buffer)).toEqual([second.qr]);

    const old = await waitFor('check-in to refuse the old badge', async () => {
      const { body } = await scan(first.qr as string);
      return body.result === 'revoked' ? body : undefined;
    });
    expect(old.message).toMatch(/newer badge/);
    const fresh = await scan(second.qr as string);
    expect(fresh.body).toMatchObject({ result: 'admitted', attendee: { name: 'Björn-Ole Sauer' } });
  }, 60_000);

  it('keeps the badge when only what is not printed changes', async () => {
    const person = await find('TEGK23-00002');
    await waitFor('the badge', async () => (await badgeOf(person.id)).body.status === 'issued');
    const changed = await registration.request(
      'PATCH',
      `/api/events/${slug}/attendees/${person.id}`,
      {
        email: 'neue.adresse@itzbund.example',
      },
    );
    expect(changed.body.revision).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await badgeOf(person.id)).body).toMatchObject({ status: 'issued', version: 1 });
  }, 30_000);

  it('refuses the badge of a cancelled registration', async () => {
    const person = await find('TEGK23-00003');
    const { body: badge } = await waitFor('the badge', async () => {
      const response = await badgeOf(person.id);
      return response.body.status === 'issued' ? response : undefined;
    });
    expect(
      (await registration.post(`/api/events/${slug}/attendees/${person.id}/cancel`)).status,
    ).toBe(200);
    const answer = await waitFor('check-in to refuse the cancelled badge', async () => {
      const { body } = await scan(badge.qr as string);
      return body.result === 'revoked' ? body : undefined;
    });
    expect(answer.message).toMatch(/cancelled/i);
    expect((await badgeOf(person.id)).body.status).toBe('revoked');
    expect((await badges.get(`/api/events/${slug}/attendees/${person.id}/badge.pdf`)).status).toBe(
      409,
    );
  }, 30_000);

  it('re-issues a lost badge: the lost one is refused as replaced, the new one admitted', async () => {
    const person = await find('TEGK23-00004');
    const { body: lost } = await waitFor('the badge', async () => {
      const response = await badgeOf(person.id);
      return response.body.status === 'issued' ? response : undefined;
    });
    const reissue = (id: string) =>
      badges.post(`/api/events/${slug}/attendees/${id}/badge/reissue`, {});
    const replaced = await reissue(person.id);
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ status: 'issued', version: lost.version + 1 });
    expect(replaced.body.qr).not.toBe(lost.qr);

    // Scanning the lost badge before check-in has heard of the new one would admit it: wait.
    await waitFor('check-in to know the new badge', async () => {
      const { body } = await checkin.get(`/api/events/${slug}/scan-snapshot`);
      return body.badges[person.id]?.version === replaced.body.version ? true : undefined;
    });
    const { body: refused } = await scan(lost.qr as string);
    expect(refused.result).toBe('revoked');
    expect(refused.message).toMatch(/newer badge/);
    expect((await scan(replaced.body.qr as string)).body.result).toBe('admitted');

    // Refused: an unknown person, a malformed id, and a cancelled registration's badge.
    expect((await reissue('00000000-0000-4000-8000-000000000000')).status).toBe(409);
    expect((await reissue('not-an-id')).status).toBe(404);
    const cancelled = await find('TEGK23-00003');
    await waitFor('the cancelled badge to be revoked', async () =>
      (await badgeOf(cancelled.id)).body.status === 'revoked' ? true : undefined,
    );
    const refusedReissue = await reissue(cancelled.id);
    expect(refusedReissue.status).toBe(409);
    expect(refusedReissue.body.message).toMatch(/cancelled/);
  }, 30_000);
});
