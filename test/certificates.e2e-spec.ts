import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { Client } from 'pg';
import {
  createSampleCongress,
  decodeQrCodesInPdf,
  inParallel,
  launchChromium,
  pdfText,
  seriousAccessibilityViolations,
  signInToOrganiserPages,
  TEST_DATABASE_URL,
  TEST_ORGANISER_TOKEN,
  type RunningServices,
  screenshots,
  startThreeServices,
  uniqueSlug,
  waitFor,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

interface Person {
  id: string;
  firstName: string;
  lastName: string;
  title: string | null;
  sessions: string[];
}

/** Which script a name is written in: each one the sample holds must print. */
function scriptOf(name: string): string {
  if (/\p{Script=Greek}/u.test(name)) return 'greek';
  if (/\p{Script=Cyrillic}/u.test(name)) return 'cyrillic';
  const highest = Math.max(...[...name].map((c) => c.codePointAt(0) ?? 0));
  if (highest > 0xff) return 'latin-extended';
  if (highest > 0x7f) return 'latin-1';
  return 'ascii';
}

const nameOf = (p: Person) => [p.title, p.firstName, p.lastName].filter(Boolean).join(' ');
const codeIn = (url: string) => new URL(url).searchParams.get('c') as string;

/**
 * Attendance certificates for the sample congress after a simulated day: people admitted at the
 * entrance and some at session doors through check-in's scan route; a batch of certificates as one
 * PDF and as a ZIP; every verification QR code read back from the rasterised pages and answered
 * "genuine" for its person at /verify; a certificate scanned at the door is refused; erasure
 * withdraws the certificate and deletes the files.
 */
describe('attendance certificates', () => {
  let running: RunningServices;
  const slug = uniqueSlug('certs');
  const empty = uniqueSlug('certs-empty');
  let people: Person[] = [];
  let admitted: Person[] = [];
  const qrOf = new Map<string, string>();
  /** Who was admitted where at a session door. */
  const workshopOf = new Map<string, string>();
  const talkGoers = new Set<string>();

  beforeAll(async () => {
    // Reconciliation every 3 s: the test of a lost admission waits for its repair.
    running = await startThreeServices(6011, { RECONCILE_EVERY_MS: '3000' });
    await createSampleCongress(running.registration, { ...SAMPLE_EVENT, slug }, 'attendees.csv');
    await createSampleCongress(running.registration, { ...SAMPLE_EVENT, slug: empty }, null);
    const { body } = await running.registration.get(`/api/events/${slug}/attendees?limit=500`);
    people = body.items as Person[];
    expect(people).toHaveLength(500);
  }, 120_000);

  afterAll(() => running.services.stopAll(), 30_000);

  it('refuses bad requests clearly before anyone was admitted', async () => {
    const { badges } = running;
    expect((await badges.post(`/api/events/no-such-event/certificate-jobs`, {})).status).toBe(404);
    expect(
      (await badges.post(`/api/events/no-such-event/attendees/${people[0].id}/certificate`, {}))
        .status,
    ).toBe(404);
    expect(
      (
        await badges.post(
          `/api/events/${slug}/attendees/00000000-0000-4000-8000-000000000000/certificate`,
          {},
        )
      ).status,
    ).toBe(404);
    // Badges hears of the event over the queue.
    const nobody = await waitFor('badges to know the empty event', async () => {
      const answer = await badges.post(`/api/events/${empty}/certificate-jobs`, {});
      return answer.status !== 404 ? answer : undefined;
    });
    expect(nobody.status).toBe(409);
    expect(nobody.body.message).toMatch(/Nobody was admitted/);
    const notYet = await badges.post(
      `/api/events/${slug}/attendees/${people[0].id}/certificate`,
      {},
    );
    expect(notYet.status).toBe(409);
    for (const body of [{ format: 'docx' }, { language: 'fr' }, { rule: 'all' }, { issuer: 7 }]) {
      const answer = await badges.post(`/api/events/${slug}/certificate-jobs`, body);
      expect(answer.status).toBe(400);
    }
    expect((await badges.get(`/api/certificate-jobs/not-a-uuid`)).status).toBe(404);
    expect(
      (await badges.post(`/api/events/${slug}/attendees/not-a-uuid/certificate`, {})).status,
    ).toBe(404);
    for (const body of [{ language: 'fr' }, { rule: 'everything' }, { issuer: 'x'.repeat(201) }]) {
      const answer = await badges.post(
        `/api/events/${slug}/attendees/${people[0].id}/certificate`,
        body,
      );
      expect(answer.status).toBe(400);
    }
    expect((await badges.get(`/api/certificates/verify?code=`)).status).toBe(400);
    expect((await badges.get(`/api/certificates/verify?code=${'A'.repeat(2001)}`)).status).toBe(
      400,
    );
  });

  it('simulates the day: admissions at the entrance and at session doors', async () => {
    const { badges, checkin } = running;
    // Everyone whose name is not plain ASCII, and the first 40 others.
    const special = people.filter((p) => scriptOf(nameOf(p)) !== 'ascii');
    const plain = people.filter((p) => scriptOf(nameOf(p)) === 'ascii').slice(0, 40);
    admitted = [...special.slice(0, 30), ...plain];
    expect(new Set(admitted.map((p) => scriptOf(nameOf(p)))).size).toBeGreaterThanOrEqual(3);
    await waitFor(
      'the badges of the admitted',
      async () => {
        const answers = await inParallel(admitted, 10, async (p) => {
          const { body } = await badges.get(`/api/events/${slug}/attendees/${p.id}/badge`);
          if (body.status === 'issued') qrOf.set(p.id, body.qr as string);
          return body.status === 'issued';
        });
        return answers.every(Boolean);
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
    for (const person of admitted) {
      const answer = await checkin.post(`/api/events/${slug}/scan`, {
        qr: qrOf.get(person.id),
        gate: 'Nord',
      });
      expect(answer.body.result).toBe('admitted');
    }
    // Workshop doors for those with a place, the keynote's door for every third.
    for (const [index, person] of admitted.entries()) {
      const workshop = person.sessions.find((code) => code.startsWith('W'));
      if (workshop && workshopOf.size < 10) {
        const answer = await checkin.post(`/api/events/${slug}/scan`, {
          qr: qrOf.get(person.id),
          gate: 'Nord',
          list: workshop,
        });
        expect(answer.body.result).toBe('admitted');
        workshopOf.set(person.id, workshop);
      }
      if (index % 3 === 0) {
        const answer = await checkin.post(`/api/events/${slug}/scan`, {
          qr: qrOf.get(person.id),
          gate: 'Nord',
          list: 'K01',
        });
        expect(answer.body.result).toBe('admitted');
        talkGoers.add(person.id);
      }
    }
    expect(workshopOf.size).toBeGreaterThan(0);
  }, 120_000);

  let jobCodes: string[] = [];
  it('gets back admissions it lost, from check-in, through the reconciliation', async () => {
    const { badges } = running;
    const last = admitted[admitted.length - 1];
    const certificate = () =>
      badges.post(`/api/events/${slug}/attendees/${last.id}/certificate`, {});
    await waitFor(
      'badges to know every admission',
      async () => (await certificate()).status === 200,
      {
        timeoutMs: 60_000,
        intervalMs: 500,
      },
    );
    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query(
        `DELETE FROM badges.certificate_admissions
          WHERE event_id = (SELECT id FROM badges.events WHERE slug = $1)`,
        [slug],
      );
    } finally {
      await db.end();
    }
    expect((await certificate()).status).toBe(409);
    await waitFor(
      'the admissions to be replayed',
      async () => (await certificate()).status === 200,
      {
        timeoutMs: 90_000,
        intervalMs: 1000,
      },
    );
    // The repair shows on badges' pipeline (the set-up page).
    const pipeline = await badges.get(`/api/events/${slug}/pipeline`);
    expect(pipeline.body.reconciliation.repairs).toContainEqual(
      expect.objectContaining({ stream: 'door_passages' }),
    );
  }, 180_000);

  it('renders one PDF for all who attended: every QR code reads back and is genuine for its person', async () => {
    const { badges, checkin } = running;
    // Badges learns of the admissions over the queue.
    await waitFor(
      'badges to know every admission',
      async () => {
        const last = admitted[admitted.length - 1];
        const answer = await badges.post(
          `/api/events/${slug}/attendees/${last.id}/certificate`,
          {},
        );
        return answer.status === 200;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    const created = await badges.post(`/api/events/${slug}/certificate-jobs`, {
      format: 'pdf',
      language: 'de',
      issuer: 'Thüringer Landesrechenzentrum',
    });
    expect(created.status).toBe(202);
    const job = await waitFor(
      'the certificate job',
      async () => {
        const { body } = await badges.get(`/api/certificate-jobs/${created.body.id}`);
        if (body.status === 'failed') throw new Error(body.error);
        return body.status === 'done' ? body : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    expect(job).toMatchObject({ done: admitted.length, total: admitted.length, format: 'pdf' });
    const listed = await badges.get(`/api/events/${slug}/certificate-jobs`);
    expect(listed.body[0]).toMatchObject({ id: created.body.id, status: 'done' });

    const file = await badges.get(`/api/certificate-jobs/${created.body.id}/file`);
    expect(file.status).toBe(200);
    const pdf = file.body as Buffer;
    const text = (await pdfText(pdf)).normalize('NFC');
    for (const person of admitted) expect(text).toContain(nameOf(person).normalize('NFC'));
    expect(text).toContain('Teilnahmebescheinigung');
    expect(text).toContain('Ausgestellt von Thüringer Landesrechenzentrum');

    const urls = await decodeQrCodesInPdf(pdf, 150);
    expect(urls).toHaveLength(admitted.length);
    jobCodes = urls.map(codeIn);
    const checks = await inParallel(urls, 8, async (url) => {
      // Check-in's /verify page (CHECKIN_PUBLIC_URL unset: localhost at CHECKIN_PORT).
      const address = new URL(url);
      expect(address.port).toBe(new URL(running.services.url('checkin')).port);
      expect(address.pathname).toBe('/verify');
      expect(codeIn(url)).toMatch(/^CERT1-[A-Z2-7]+$/);
      const answer = await badges.get(
        `/api/certificates/verify?code=${encodeURIComponent(codeIn(url))}`,
      );
      expect(answer.status).toBe(200);
      return answer.body;
    });
    expect(checks.every((c) => c.genuine === true)).toBe(true);
    expect(checks.map((c) => c.name as string).sort()).toEqual(admitted.map(nameOf).sort());
    // Each person's sessions (the sample has namesakes: compared as name and count pairs).
    const sessionsOf = (p: Person) =>
      (workshopOf.has(p.id) ? 1 : 0) + (talkGoers.has(p.id) ? 1 : 0);
    expect(checks.map((c) => `${c.name}: ${c.sessionsAttended}`).sort()).toEqual(
      admitted.map((p) => `${nameOf(p)}: ${sessionsOf(p)}`).sort(),
    );
    for (const check of checks) {
      expect(check.event).toMatchObject({ name: SAMPLE_EVENT.name, venue: SAMPLE_EVENT.venue });
      expect(Object.keys(check).sort()).toEqual(
        ['event', 'genuine', 'issuedAt', 'name', 'sessionsAttended'].sort(),
      );
    }
    // The page the QR code opens, over HTTP.
    const page = await checkin.get(`/verify?c=${encodeURIComponent(jobCodes[0])}&lang=en`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-verdict="genuine"');
    expect(page.body).toContain(checks[0].name);
  }, 240_000);

  it('renders a ZIP of one PDF per person', async () => {
    const { badges } = running;
    const created = await badges.post(`/api/events/${slug}/certificate-jobs`, {
      format: 'zip',
      language: 'en',
    });
    expect(created.status).toBe(202);
    await waitFor(
      'the ZIP job',
      async () => {
        const { body } = await badges.get(`/api/certificate-jobs/${created.body.id}`);
        if (body.status === 'failed') throw new Error(body.error);
        return body.status === 'done';
      },
      { timeoutMs: 120_000, intervalMs: 500 },
    );
    const file = await badges.get(`/api/certificate-jobs/${created.body.id}/file`);
    expect(file.headers.get('content-type')).toBe('application/zip');
    const zipped = file.body as Buffer;
    const entries = unzipSync(new Uint8Array(zipped));
    const names = Object.keys(entries);
    expect(names).toHaveLength(admitted.length);
    const first = Buffer.from(entries[names[0]]);
    expect(first.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await pdfText(first)).toContain('Certificate of attendance');
    const [url] = await decodeQrCodesInPdf(first, 150);
    // The same person keeps the same certificate (and code) when issued again.
    expect(jobCodes).toContain(codeIn(url));
  }, 240_000);

  it('answers tampered, unknown and missing codes as not genuine, never a 500', async () => {
    const { badges, checkin } = running;
    const code = jobCodes[0];
    // One character of the signature changed (not the last: it also holds padding bits).
    const at = code.length - 10;
    const tampered = code.slice(0, at) + (code[at] === 'A' ? 'B' : 'A') + code.slice(at + 1);
    const answers = {
      tampered: await badges.get(`/api/certificates/verify?code=${tampered}`),
      malformed: await badges.get(`/api/certificates/verify?code=hello%25world`),
      badge: await badges.get(`/api/certificates/verify?code=${qrOf.get(admitted[0].id)}`),
    };
    expect(answers.tampered).toMatchObject({
      status: 200,
      body: { genuine: false, reason: 'tampered' },
    });
    expect(answers.malformed).toMatchObject({
      status: 200,
      body: { genuine: false, reason: 'malformed' },
    });
    expect(answers.badge.body).toMatchObject({ genuine: false, reason: 'malformed' });
    expect((await badges.get(`/api/certificates/verify`)).status).toBe(400);
    const page = await checkin.get(`/verify?c=${tampered}&lang=de`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('data-verdict="not_genuine"');
    expect(page.body).toContain('Nicht echt');
    expect(page.body).not.toContain(admitted[0].lastName);
    expect((await checkin.get(`/verify`)).status).toBe(400);
    expect((await checkin.get(`/verify?c=%E0%A4%A`)).status).toBeLessThan(500);
  });

  it('refuses a certificate scanned at the door, as its code and as its address', async () => {
    const { checkin, services } = running;
    for (const qr of [jobCodes[0], `${services.url('checkin')}/verify?c=${jobCodes[0]}`]) {
      const answer = await checkin.post(`/api/events/${slug}/scan`, { qr, gate: 'Nord' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ result: 'invalid', reason: 'certificate' });
    }
  });

  it('shows a genuine certificate in Chromium', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ locale: 'de-DE' });
      const shot = screenshots('certificates');
      const { body } = await running.badges.get(`/api/certificates/verify?code=${jobCodes[1]}`);
      await page.goto(`${running.services.url('checkin')}/verify?c=${jobCodes[1]}`);
      await page.getByRole('status').waitFor();
      const status = await page.getByRole('status').innerText();
      expect(status).toContain('Echt');
      expect(status).toContain(body.name);
      expect(status).toContain(SAMPLE_EVENT.name);
      await shot(page, 'genuine');
      await page.goto(`${running.services.url('checkin')}/verify?c=${jobCodes[1].slice(0, -3)}AAA`);
      expect(await page.getByRole('alert').innerText()).toContain('Nicht echt');
      await shot(page, 'not-genuine');
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('makes certificates from the organisers’ pages: a job with progress, and one person’s', async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({
        acceptDownloads: true,
        locale: 'de-DE',
        bypassCSP: true,
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      const shot = screenshots('certificates');
      await page.goto(`${running.services.url('checkin')}/dashboard#/certificates`);
      await signInToOrganiserPages(page, TEST_ORGANISER_TOKEN, slug);
      await page.goto(`${running.services.url('checkin')}/dashboard#/certificates`);
      await page.fill('#certificate-issuer', 'Thüringer Landesrechenzentrum');
      const before = new Set(
        (
          (await running.badges.get(`/api/events/${slug}/certificate-jobs`)).body as {
            id: string;
          }[]
        ).map((job) => job.id),
      );
      await page.click('#certificate-start');
      const started = await waitFor('the job started on the page', async () => {
        const { body } = await running.badges.get(`/api/events/${slug}/certificate-jobs`);
        return (body as { id: string }[]).find((job) => !before.has(job.id));
      });
      await page.waitForSelector(`#certificate-job[data-job="${started.id}"][data-status="done"]`, {
        timeout: 120_000,
      });
      expect(await page.innerText('#certificate-job')).toContain(
        `${admitted.length} von ${admitted.length} Bescheinigungen`,
      );
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await shot(page, 'job-done');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('#certificate-job button'),
      ]);
      const pdf = readFileSync(await download.path());
      const info = execFileSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' });
      expect(info).toMatch(new RegExp(`^Pages:\\s+${admitted.length}$`, 'm'));

      const person = admitted[2];
      await page.goto(`${running.services.url('checkin')}/dashboard#/attendees/${person.id}`);
      const [single] = await Promise.all([
        page.waitForEvent('download'),
        page.click('#download-certificate'),
      ]);
      const text = await pdfText(readFileSync(await single.path()));
      expect(text.normalize('NFC')).toContain(nameOf(person).normalize('NFC'));
      expect(text).toContain('Teilnahmebescheinigung');
      await shot(page, 'attendee');
    } finally {
      await browser.close();
    }
  }, 180_000);

  it('withdraws the certificate and deletes the files holding a person erased', async () => {
    const { badges, registration } = running;
    const person = admitted[0];
    const single = await badges.post(`/api/events/${slug}/attendees/${person.id}/certificate`, {
      language: 'en',
    });
    expect(single.status).toBe(200);
    const [url] = await decodeQrCodesInPdf(single.body as Buffer, 150);
    const code = codeIn(url);
    expect((await badges.get(`/api/certificates/verify?code=${code}`)).body).toMatchObject({
      genuine: true,
      name: nameOf(person),
    });
    const jobs = (await badges.get(`/api/events/${slug}/certificate-jobs`)).body as {
      id: string;
    }[];
    // Art. 15: the person's document names their certificate and the files holding it.
    const document = await registration.get(
      `/api/events/${slug}/attendees/${person.id}/personal-data`,
    );
    expect(document.body.badges.certificate).toMatchObject({
      name: nameOf(person),
      erasedAt: null,
    });
    expect(document.body.badges.certificateJobs).toHaveLength(jobs.length);
    expect(
      (await registration.request('DELETE', `/api/events/${slug}/attendees/${person.id}`)).status,
    ).toBe(200);
    const answer = await waitFor(
      'the certificate to be withdrawn',
      async () => {
        const { body } = await badges.get(`/api/certificates/verify?code=${code}`);
        return body.genuine === false ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 300 },
    );
    expect(answer).toMatchObject({ reason: 'revoked' });
    expect(JSON.stringify(answer)).not.toContain(person.lastName);
    for (const job of jobs) {
      expect((await badges.get(`/api/certificate-jobs/${job.id}/file`)).status).toBe(410);
    }
    expect(
      (await badges.post(`/api/events/${slug}/attendees/${person.id}/certificate`, {})).status,
    ).toBe(410);
  }, 60_000);

  it('withdraws every certificate of an event erased (retention) and deletes its files', async () => {
    const { badges, registration } = running;
    const erased = await registration.post(`/api/events/${slug}/erase`, { confirm: slug });
    expect(erased.status).toBeLessThan(300);
    const code = jobCodes[jobCodes.length - 1];
    const answer = await waitFor(
      'the event’s certificates to be withdrawn',
      async () => {
        const { body } = await badges.get(`/api/certificates/verify?code=${code}`);
        return body.genuine === false ? body : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(answer).toMatchObject({ reason: 'revoked' });
    const jobs = (await badges.get(`/api/events/${slug}/certificate-jobs`)).body as {
      id: string;
    }[];
    for (const job of jobs) {
      expect((await badges.get(`/api/certificate-jobs/${job.id}/file`)).status).toBe(410);
    }
  }, 90_000);
});
