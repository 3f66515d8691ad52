import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Download, Page } from 'playwright-core';
import {
  createSampleCongress,
  inParallel,
  launchChromium,
  RunningServices,
  sampleFile,
  screenshots,
  signInToOrganiserPages,
  seriousAccessibilityViolations,
  startThreeServices,
  TEST_ORGANISER_TOKEN,
  uniqueSlug,
  waitFor,
  workbookOf,
} from '@einlass/testing';
import { SAMPLE_EVENT } from '../apps/registration/testing';

// Callbacks given to page.evaluate run in the browser; this program has no DOM types.
declare const document: any;
declare const location: any;

interface Attendee {
  id: string;
  title: string | null;
  firstName: string;
  lastName: string;
  organisation: string | null;
  category: string;
  status: string;
}

/** A count as the page in German writes it: "1.234". */
const de = (n: number) => new Intl.NumberFormat('de-DE').format(n);
/** The attendees page's count line: every match, and how many are shown while not all are. */
const attendeeSummary = (total: number, shown = total) =>
  `${total === 1 ? '1 Person' : `${de(total)} Personen`}${shown < total ? ` · ${de(shown)} angezeigt` : ''}`;

/** What a person types for a name with accents: "muller" for "Müller". */
const fold = (text: string) =>
  text.normalize('NFKD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss').toLowerCase();

/** A 1×1 PNG: what someone uploads who took a photo of the list. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
/** The first bytes of an OpenDocument spreadsheet: a ZIP archive that names its kind. */
const ODS = Buffer.concat([
  Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x08]),
  Buffer.from('\0'.repeat(22) + 'mimetypeapplication/vnd.oasis.opendocument.spreadsheet'),
]);

/**
 * The organisers' pages in Debian's Chromium against the three services as separate processes:
 * an empty congress (the programme only) is filled by importing the Excel-style sample through the
 * page, then the organiser finds, edits, checks in, reprints and cancels a person, and prints
 * badges as a job watched to 100 %. Every state is a screenshot in test-artifacts/organiser-pages
 * and every page is checked with axe-core.
 */
describe("the organisers' pages in a real browser", () => {
  let running: RunningServices;
  const slug = uniqueSlug('orgpages');
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const shot = screenshots('organiser-pages');
  const token = process.env.ORGANISER_TOKEN ?? TEST_ORGANISER_TOKEN;
  const cspViolations: string[] = [];

  const allAttendees = async (query = ''): Promise<Attendee[]> => {
    const people: Attendee[] = [];
    let cursor: string | null = null;
    do {
      const { body }: { body: { items: Attendee[]; nextCursor: string | null } } =
        await running.registration.get(
          `/api/events/${slug}/attendees?limit=500${query}${cursor ? `&cursor=${cursor}` : ''}`,
        );
      people.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);
    return people;
  };
  const summary = async () => (await page.locator('#attendee-summary').textContent())?.trim();
  const shownIds = async () =>
    (
      await page.$$eval('#attendee-table tbody a', (links) =>
        links.map((a) => a.getAttribute('href')),
      )
    ).map((href) => href?.split('/').pop());
  const go = async (hash: string) => {
    await page.evaluate((h) => (location.hash = h), hash);
  };
  const expectAccessible = async (what: string) => {
    const violations = await seriousAccessibilityViolations(page);
    expect({ what, violations }).toEqual({ what, violations: [] });
  };
  const value = async (selector: string) =>
    Number(await page.locator(selector).getAttribute('data-value'));
  const upload = async (name: string, buffer: Buffer, mimeType = 'text/csv') => {
    await page.setInputFiles('#import-file', { name, mimeType, buffer });
    await page.click('#import-submit');
  };
  const downloaded = async (download: Download): Promise<Buffer> =>
    readFileSync(await download.path());

  beforeAll(async () => {
    // check-in tells the page where the other two services are (GET /dashboard/config.json)
    running = await startThreeServices(4901);
    // The programme, no attendees: the import through the page brings them.
    await createSampleCongress(running.registration, { ...SAMPLE_EVENT, slug }, null);
    browser = await launchChromium();
    // bypassCSP only so axe-core can be injected; a second context below checks the pages under
    // their real CSP.
    context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'de-DE',
      timezoneId: 'Europe/Berlin',
      acceptDownloads: true,
      bypassCSP: true,
    });
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.services.stopAll();
  }, 30_000);

  it('signs in and shows an empty attendees list that points to the import', async () => {
    await page.goto(`${running.services.url('checkin')}/dashboard#/attendees`);
    await signInToOrganiserPages(page, token, slug).catch(async (error: unknown) => {
      await shot(page, 'failed-sign-in');
      throw error;
    });
    await page.waitForSelector('#attendees-empty');
    expect(await page.locator('#attendees-empty').textContent()).toContain(
      'Noch niemand angemeldet',
    );
    await shot(page, '01-attendees-empty');
    await expectAccessible('empty attendees list');
  }, 60_000);

  it('imports the Excel-style sample and shows the answer; a second upload changes nothing', async () => {
    await go('#/imports');
    await page.waitForSelector('#import-file', { state: 'attached' });
    await shot(page, '02-import');
    await expectAccessible('import page');

    const file = sampleFile('attendees-excel.csv');
    await upload('attendees-excel.csv', file);
    await page.waitForSelector('[data-testid=import-result]', { timeout: 60_000 });
    const people = await allAttendees();
    const rows = file.toString('latin1').split(/\r?\n/).filter(Boolean).length - 1;
    expect(await value('#import-created')).toBe(people.length);
    expect(await value('#import-updated')).toBe(0);
    expect(await value('#import-rejected')).toBe(rows - people.length);
    if (rows === people.length) {
      expect(await page.locator('.imp-rejected').textContent()).toContain(
        'Alle Zeilen wurden übernommen',
      );
    }
    // the result heading takes the focus: a screen reader reads the answer
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('imp-result-title');
    await shot(page, '03-import-result', true);
    await expectAccessible('import result');

    await page.click('text=Weitere Datei importieren');
    await upload('attendees-excel.csv', file);
    await page.waitForSelector('#import-unchanged');
    await waitFor('the second answer', async () => (await value('#import-unchanged')) > 0);
    expect(await value('#import-unchanged')).toBe(people.length);
    expect(await value('#import-created')).toBe(0);
    expect(await value('#import-updated')).toBe(0);
    await shot(page, '04-import-again-unchanged');
  }, 90_000);

  it('lists the rows it refused with line and reason, in German and in English', async () => {
    // Four rows of the sample under new booking numbers, three of them broken.
    const [header, ...lines] = sampleFile('attendees-excel.csv')
      .toString('latin1')
      .split('\r\n')
      .filter(Boolean);
    const cells = lines.slice(0, 4).map((line) => line.split(';'));
    cells.forEach((row, i) => (row[0] = `NEU-${i + 1}`));
    cells[0][4] = 'keine-adresse'; // email
    cells[1][6] = 'VIP'; // category
    cells[2][2] = ''; // first name
    cells[2][3] = ''; // last name
    const broken = Buffer.from(
      [header, ...cells.map((row) => row.join(';'))].join('\r\n') + '\r\n',
      'latin1',
    );
    await page.click('text=Weitere Datei importieren');
    await upload('nachmeldungen.csv', broken);
    await page.waitForSelector('#import-rejected');
    await waitFor('the answer', async () => (await value('#import-created')) === 1);
    const rejectedTable = () =>
      page.$$eval('#import-rejected tbody tr', (trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())),
      );
    const categories = 'Teilnehmer, Referent, Presse, Organisation, Aussteller';
    // The server's reasons are English; the page says them in its own language from their codes.
    expect(await rejectedTable()).toEqual([
      ['2', 'E-Mail „keine-adresse“ ist keine gültige E-Mail-Adresse'],
      ['3', `Kategorie „VIP“ ist unbekannt (möglich: ${categories})`],
      ['4', 'Vorname fehlt; Nachname fehlt'],
    ]);
    expect(await page.locator('#import-rejected td[lang="en"]').count()).toBe(0);
    // The same file again through the API: the valid row is there now, the refusals are the same.
    const again = await running.registration.post(`/api/events/${slug}/attendees/import`, broken, {
      'content-type': 'text/csv',
    });
    expect(again.body).toMatchObject({ created: 0, unchanged: 1 });
    const refused = again.body.rejected as {
      line: number;
      reason: string;
      problems: { code: string }[];
    }[];
    expect(refused.map((r) => [r.line, r.problems.map((p) => p.code)])).toEqual([
      [2, ['invalid_email']],
      [3, ['unknown_category']],
      [4, ['empty', 'empty']],
    ]);
    expect(refused[2].reason).toBe('first name is empty; last name is empty');
    await shot(page, '05-import-rejected-rows', true);
    await expectAccessible('import with rejected rows');

    // Switching the language says the same rows in English, without uploading again.
    await page.click('button[lang="en"]');
    await page.waitForSelector('h1:has-text("Import attendees")');
    expect(await rejectedTable()).toEqual([
      ['2', 'Email “keine-adresse” is not a valid email address'],
      ['3', 'Category “VIP” is unknown (possible: attendee, speaker, press, staff, exhibitor)'],
      ['4', 'First name is empty; last name is empty'],
    ]);
    await shot(page, '05-import-rejected-rows-english', true);
    await page.click('button[lang="de"]');
    await page.waitForSelector('h1:has-text("Teilnehmende importieren")');
  }, 60_000);

  it('imports an Excel workbook as it is: late registrations below a title, rows named as in Excel', async () => {
    const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    const workbook = await workbookOf([
      ['Nachmeldungen Kongress 2023'],
      [],
      ['Buchungsnummer', 'Titel', 'Vorname', 'Nachname', 'E-Mail', 'Organisation', 'Kategorie'],
      [8801, 'Dr.', 'Zoë', 'Wiśniewska', 'zoe.w@example.org', 'Stadt Gera', 'Referentin'],
      [8802, null, 'Ömer', 'Çelik', 'omer.celik@example.org', 'Landratsamt Gotha', 'Teilnehmer'],
      [8803, null, 'Kein', 'Postfach', 'kein-postfach', 'Amt', 'Teilnehmer'],
    ]);
    await page.click('text=Weitere Datei importieren');
    await upload('nachmeldungen.xlsx', workbook, xlsx);
    await page.waitForSelector('#import-rejected');
    await waitFor('the answer', async () => (await value('#import-created')) === 2);
    const rejected = await page.$$eval('#import-rejected tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())),
    );
    // row 6 of the sheet, as Excel numbers it
    expect(rejected).toEqual([['6', 'E-Mail „kein-postfach“ ist keine gültige E-Mail-Adresse']]);
    await shot(page, '06-import-xlsx', true);
    await expectAccessible('import of a workbook');
    const late = await allAttendees('&q=8801');
    expect(late).toMatchObject([
      { externalId: '8801', firstName: 'Zoë', lastName: 'Wiśniewska', category: 'speaker' },
    ]);
  }, 60_000);

  it('refuses a picture, an OpenDocument sheet and a file the server cannot read, with a clear word', async () => {
    const before = (await allAttendees()).length;
    await page.click('text=Weitere Datei importieren');

    await upload('teilnehmende.ods', ODS, 'application/vnd.oasis.opendocument.spreadsheet');
    await page.waitForSelector('#import-error');
    let text = await page.locator('#import-error').textContent();
    expect(text).toContain('OpenDocument');
    expect(text).toContain('Excel-Arbeitsmappe (.xlsx)');
    expect(text).toContain('Es wurde nichts importiert');
    await shot(page, '06-import-ods-refused');
    await expectAccessible('import refused');

    await upload('liste.png', PNG, 'image/png');
    await page.waitForSelector('#import-error:has-text("Bild")');
    expect(await page.locator('[data-testid=import-result]').count()).toBe(0);

    // Text, but not an attendee list: the server's 400 message is shown.
    await upload('notizen.csv', Buffer.from('Einkaufsliste\nBrot\nMilch\n'));
    await page.waitForSelector('#import-error');
    text = await waitFor('the server answer', async () => {
      const shown = await page.locator('#import-error').textContent();
      return shown && !shown.includes('Bild') ? shown : undefined;
    });
    const server = await running.registration.post(
      `/api/events/${slug}/attendees/import`,
      Buffer.from('Einkaufsliste\nBrot\nMilch\n'),
      { 'content-type': 'text/csv' },
    );
    expect(server.status).toBe(400);
    expect(server.body).toMatchObject({ code: 'missing_columns', found: ['Einkaufsliste'] });
    // said in German from the answer's code, not the server's English message
    expect(text).toContain(
      'Der Datei fehlen die Spalten „Buchungsnummer“, „Vorname“, „Nachname“, „Kategorie“. Gefunden: „Einkaufsliste“.',
    );
    expect(text).not.toContain(server.body.message);
    await shot(page, '07-import-server-refused');
    expect((await allAttendees()).length).toBe(before);
  }, 60_000);

  it('finds a person by typing their name without accents; filters by category, workshop and status with the total', async () => {
    await go('#/attendees');
    await page.waitForSelector('#attendee-table');
    await shot(page, '08-attendees-list');
    await expectAccessible('attendees list');

    // keyset paging: 50 at a time, "load more" adds the next 50 and moves the focus to them
    const people = await allAttendees();
    expect(people.length).toBeGreaterThan(100);
    expect(await page.locator('#attendee-table tbody tr').count()).toBe(50);
    // the total is the server's count of the whole list, not of the rows loaded
    expect(await summary()).toBe(attendeeSummary(people.length, 50));
    await page.click('#attendees-more');
    await waitFor(
      'the next page',
      async () => (await page.locator('#attendee-table tbody tr').count()) === 100,
    );
    expect(await summary()).toBe(attendeeSummary(people.length, 100));
    // The focus follows once the new rows are drawn (an effect after the render): wait for it.
    const firstNew = await page
      .locator('#attendee-table tbody tr:nth-child(51) a')
      .getAttribute('href');
    await waitFor('the focus on the first new row', async () =>
      (await page.evaluate(() => document.activeElement?.getAttribute('href'))) === firstNew
        ? true
        : undefined,
    );
    const shown = await page.$$eval('#attendee-table tbody a', (links) =>
      links.map((a) => a.getAttribute('href')),
    );
    expect(new Set(shown).size).toBe(100);

    const person = people.find((p) => /[äöüÄÖÜ]/.test(p.lastName) && p.status === 'registered')!;
    expect(person).toBeDefined();
    const typed = fold(person.lastName);
    expect(typed).not.toBe(person.lastName.toLowerCase());
    await page.fill('#attendee-search', typed);
    const link = page.locator(`#attendee-table a[href="#/attendees/${person.id}"]`);
    await link.waitFor();
    // the page shows the first 50 of what the API finds
    const expected = Math.min(50, (await allAttendees(`&q=${encodeURIComponent(typed)}`)).length);
    await waitFor(
      'the search result',
      async () => (await page.locator('#attendee-table tbody tr').count()) === expected,
    );
    await shot(page, '09-attendees-search');

    await page.fill('#attendee-search', '');
    await page.selectOption('#attendee-category', 'speaker');
    const speakers = (await allAttendees('&category=speaker')).length;
    expect(speakers).toBeLessThanOrEqual(50);
    await waitFor(
      'the speakers',
      async () => (await page.locator('#attendee-table tbody tr').count()) === speakers,
    );
    expect(await summary()).toBe(attendeeSummary(speakers));

    // A workshop filter shows those holding a place in it, not those on its waiting list (the
    // sample overbooks every workshop), and says how many.
    await page.selectOption('#attendee-category', '');
    const workshop = (await page
      .locator('#attendee-workshop option:nth-child(2)')
      .getAttribute('value'))!;
    const { body: signups } = await running.registration.get(
      `/api/events/${slug}/sessions/${workshop}/signups`,
    );
    const placed = (signups.confirmed as { attendeeId: string }[]).map((p) => p.attendeeId);
    expect(signups.waiting.length).toBeGreaterThan(0);
    expect(placed.length).toBeGreaterThan(0);
    await page.selectOption('#attendee-workshop', workshop);
    await waitFor('the people with a place in the workshop', async () =>
      JSON.stringify((await shownIds()).sort()) === JSON.stringify([...placed].sort())
        ? true
        : undefined,
    );
    expect(await summary()).toBe(attendeeSummary(placed.length));
    await shot(page, '09b-attendees-workshop');
    await expectAccessible('attendees filtered by workshop');
    await page.selectOption('#attendee-workshop', '');

    await page.selectOption('#attendee-status', 'cancelled');
    await page.waitForSelector('#attendees-empty'); // no one has cancelled yet
    expect(await summary()).toBe(attendeeSummary(0));
    await page.selectOption('#attendee-status', '');
    await page.fill('#attendee-search', typed);
    await link.waitFor();
    await link.click();
    await page.waitForSelector('#attendee-name');
    expect(await page.locator('#attendee-name').textContent()).toContain(person.lastName);
  }, 60_000);

  it('edits a person: saved, the badge version goes up; the server names a bad field', async () => {
    const id = page.url().split('/').pop()!;
    const badge = await waitFor('the badge', async () => {
      const { body } = await running.badges.get(`/api/events/${slug}/attendees/${id}/badge`);
      return body.status === 'issued' ? body : undefined;
    });
    await page.waitForSelector(`#badge-version[data-version="${badge.version}"]`);
    await shot(page, '10-attendee', true);
    await expectAccessible('attendee page');

    await page.fill('#edit-email', 'keine adresse');
    await page.click('text=Änderungen speichern');
    await page.waitForSelector('#edit-email-error');
    expect(await page.locator('#edit-email-error').textContent()).toContain(
      'gültige E-Mail-Adresse',
    );
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('edit-email');
    await shot(page, '11-attendee-invalid-email');
    const { body: unchanged } = await running.registration.get(
      `/api/events/${slug}/attendees/${id}`,
    );

    await page.fill('#edit-email', unchanged.email ?? '');
    await page.fill('#edit-organisation', 'Thüringer Landesrechenzentrum (TLRZ)');
    await page.click('text=Änderungen speichern');
    await page.waitForSelector('#attendee-flash:has-text("Gespeichert")');
    await page.waitForSelector(`#badge-version[data-version="${badge.version + 1}"]`, {
      timeout: 30_000,
    });
    const { body: saved } = await running.registration.get(`/api/events/${slug}/attendees/${id}`);
    expect(saved.organisation).toBe('Thüringer Landesrechenzentrum (TLRZ)');
    expect(saved.email).toBe(unchanged.email);
    await page.waitForSelector('#attendee-flash:has-text("Version")');
    await shot(page, '12-attendee-saved');
  }, 60_000);

  it('checks a person in by hand, shows the history, and reprints the badge as a PDF', async () => {
    const id = page.url().split('/').pop()!;
    await page.fill('#checkin-gate', 'Infotheke');
    await page.click('#checkin-submit');
    await page.waitForSelector('#checkin-answer[data-result="admitted"]');
    await page.waitForSelector('#checkin-history tbody tr[data-result="admitted"]');
    expect(await page.locator('#checkin-history').textContent()).toContain('Infotheke');
    await page.click('#checkin-submit');
    await page.waitForSelector('#checkin-answer[data-result="already_admitted"]');
    expect(await page.locator('#checkin-answer').textContent()).toMatch(
      /Zuerst eingelassen \d\d:\d\d:\d\d am Eingang Infotheke/,
    );
    await waitFor(
      'two rows of history',
      async () => (await page.locator('#checkin-history tbody tr').count()) === 2,
    );
    const { body: log } = await running.checkin.get(
      `/api/events/${slug}/checkins?attendeeId=${id}`,
    );
    expect(log.items.map((row: { result: string }) => row.result)).toEqual([
      'already_admitted',
      'admitted',
    ]);
    await shot(page, '13-attendee-checked-in', true);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#reprint')]);
    expect(download.suggestedFilename()).toMatch(/^badge-.*\.pdf$/);
    const pdf = await downloaded(download);
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    await page.waitForSelector('#attendee-flash:has-text("heruntergeladen")');

    // The badge was lost: a new version replaces it, and the lost one is refused at the door.
    const { body: before } = await running.badges.get(`/api/events/${slug}/attendees/${id}/badge`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.click('#replace-lost-badge');
    await page.waitForSelector(`#badge-version[data-version="${before.version + 1}"]`);
    await page.waitForSelector('#attendee-flash:has-text("Version")');
    await waitFor('check-in to know the new badge', async () => {
      const { body } = await running.checkin.get(`/api/events/${slug}/scan-snapshot`);
      return body.badges[id]?.version === before.version + 1 ? true : undefined;
    });
    const { body: lostScan } = await running.checkin.post(`/api/events/${slug}/scan`, {
      qr: before.qr,
      gate: 'Infotheke',
    });
    expect(lostScan.result).toBe('revoked');
    expect(lostScan.message).toMatch(/newer badge/);
  }, 60_000);

  it('signs a person up for a full workshop (waiting list, with position) and takes them off again', async () => {
    const id = page.url().split('/').pop()!;
    const code = await page.locator('#signup-workshop').inputValue();
    expect(code).not.toBe('');
    await page.click('.att-signup button[type=submit]');
    await page.waitForSelector(`#attendee-workshops li[data-workshop="${code}"]`);
    const { body: list } = await running.registration.get(
      `/api/events/${slug}/sessions/${code}/signups`,
    );
    const waiting = (list.waiting as { attendeeId: string; position: number }[]).find(
      (p) => p.attendeeId === id,
    );
    const confirmed = (list.confirmed as { attendeeId: string }[]).some((p) => p.attendeeId === id);
    const row = page.locator(`#attendee-workshops li[data-workshop="${code}"]`);
    if (waiting) {
      await page.waitForSelector(
        `#attendee-workshops li[data-workshop="${code}"]:has-text("Warteliste, Platz ${waiting.position}")`,
      );
      expect(await page.locator('.att-workshop-notice').textContent()).toContain(
        `Platz ${waiting.position}`,
      );
    } else {
      expect(confirmed).toBe(true);
      expect(await row.textContent()).toContain('Platz');
    }
    await shot(page, '14-attendee-workshop', true);
    await row.locator('button').click();
    if (!waiting) await page.click('#withdraw-dialog .danger-solid');
    await row.waitFor({ state: 'detached' });
    const { body: after } = await running.registration.get(`/api/events/${slug}/attendees/${id}`);
    expect([...after.sessions, ...after.waitlist]).not.toContain(code);
  }, 60_000);

  it('cancels a registration after asking; the badge is revoked', async () => {
    const id = page.url().split('/').pop()!;
    await page.click('#cancel-registration');
    await page.waitForSelector('#cancel-dialog[open]');
    await shot(page, '15-cancel-dialog');
    await expectAccessible('cancel dialog');
    await page.click('#confirm-cancel');
    await page.waitForSelector('#attendee-status[data-status="cancelled"]');
    await page.waitForSelector('#badge-status[data-status="revoked"]', { timeout: 30_000 });
    const { body } = await running.registration.get(`/api/events/${slug}/attendees/${id}`);
    expect(body.status).toBe('cancelled');
    expect(await page.locator('#edit-organisation').isDisabled()).toBe(true);
    expect(await page.locator('#reprint').isDisabled()).toBe(true);
    await shot(page, '16-attendee-cancelled');

    // the list's status filter finds them: the one cancellation of the event
    await go('#/attendees');
    await page.fill('#attendee-search', '');
    const everyone = (await allAttendees()).length;
    await waitFor('the whole list', async () =>
      (await summary()) === attendeeSummary(everyone, 50) ? true : undefined,
    );
    await page.selectOption('#attendee-status', 'cancelled');
    await waitFor('the cancelled registrations', async () =>
      JSON.stringify(await shownIds()) === JSON.stringify([id]) ? true : undefined,
    );
    expect(await summary()).toBe(attendeeSummary(1));
    await page.selectOption('#attendee-status', '');
  }, 60_000);

  it('adds a person by hand and opens their page', async () => {
    await go('#/attendees');
    await page.click('#add-attendee');
    await page.waitForSelector('#add-dialog[open]');
    await page.fill('#add-title', 'Dr.');
    await page.fill('#add-firstName', 'Ilse');
    await page.fill('#add-lastName', 'Übermuth');
    await page.fill('#add-organisation', 'Landkreis Sömmerda');
    await page.fill('#add-email', 'ilse.uebermuth@soemmerda.example');
    await page.selectOption('#add-category', 'press');
    await shot(page, '17-add-attendee');
    await expectAccessible('add dialog');
    await page.click('#add-dialog button[type=submit]');
    await page.waitForSelector('#attendee-name:has-text("Übermuth")');
    const found = await allAttendees('&q=ubermuth');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ firstName: 'Ilse', category: 'press', title: 'Dr.' });
    expect(page.url()).toContain(found[0].id);
  }, 60_000);

  it('prints the speakers on a4-4up: the bar reaches 100 % and the PDF downloads', async () => {
    // Every speaker's badge issued before printing.
    const speakers = (await allAttendees('&category=speaker')).filter(
      (a) => a.status === 'registered',
    );
    expect(speakers.length).toBeGreaterThan(0);
    await waitFor(
      'the speakers’ badges',
      async () => {
        const states = await inParallel(
          speakers,
          10,
          async (a) =>
            (await running.badges.get(`/api/events/${slug}/attendees/${a.id}/badge`)).body.status,
        );
        return states.every((s) => s === 'issued');
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    await go('#/print-jobs');
    await page.waitForSelector('#print-start');
    await shot(page, '18-print-form', true);
    await expectAccessible('print page');

    await page.check('input[name=layout][value="a4-4up"]');
    await page.check('input[name=categories][value="speaker"]');
    await page.click('#print-start');
    await page.waitForSelector('#print-progress');
    const seen = new Set<number>();
    await waitFor(
      'the progress bar at 100 %',
      async () => {
        const now = Number(await page.locator('#print-progress').getAttribute('aria-valuenow'));
        seen.add(now);
        return now === 100;
      },
      { timeoutMs: 120_000, intervalMs: 50 },
    );
    expect([...seen].every((n) => n >= 0 && n <= 100)).toBe(true);
    await page.waitForSelector('#print-download');
    const { body: jobs } = await running.badges.get(`/api/events/${slug}/print-jobs`);
    expect(jobs[0]).toMatchObject({ status: 'done', layout: 'a4-4up', total: speakers.length });
    expect(await page.locator('#current-job').textContent()).toContain(
      `${speakers.length} von ${speakers.length} Badges`,
    );
    await shot(page, '19-print-done');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#print-download'),
    ]);
    const pdf = await downloaded(download);
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
    const info = execFileSync('pdfinfo', ['-'], { input: pdf, encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`^Pages:\\s+${Math.ceil(speakers.length / 4)}$`, 'm'));
    expect(info).toMatch(/A4/);
  }, 180_000);

  it('shows earlier print jobs after a reload, downloadable, and speaks English', async () => {
    // A job started elsewhere (through the API) says what it prints, as the page's own do.
    const { body: other } = await running.badges.post(`/api/events/${slug}/print-jobs`, {
      filter: { categories: ['speaker'], onlyUnprinted: false },
      layout: 'a6',
    });
    await page.reload();
    await page.waitForSelector(`#print-job-list tbody tr[data-job="${other.id}"]`);
    expect(
      await page.locator(`#print-job-list tbody tr[data-job="${other.id}"]`).innerText(),
    ).toContain('Referierende');
    await page.waitForSelector('#print-job-list tbody tr[data-status="done"]');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('#print-job-list tbody tr[data-status="done"] button'),
    ]);
    expect((await downloaded(download)).subarray(0, 4).toString()).toBe('%PDF');
    await shot(page, '20-print-earlier-jobs', true);

    await page.click('button[lang="en"]');
    await page.waitForSelector('h1:has-text("Print badges")');
    await shot(page, '21-print-english');
    await go('#/attendees');
    await page.waitForSelector('h1:has-text("Attendees")');
    await page.waitForSelector('#attendee-table');
    await shot(page, '22-attendees-english');
    await expectAccessible('attendees list in English');
  }, 60_000);

  it('runs under the pages’ real Content-Security-Policy without a refusal', async () => {
    const strict = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    try {
      const tab = await strict.newPage();
      tab.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
      });
      await tab.goto(`${running.services.url('checkin')}/dashboard#/attendees`);
      await signInToOrganiserPages(tab, token, slug);
      await tab.waitForSelector('#attendee-table');
      for (const hash of ['#/imports', '#/print-jobs']) {
        await tab.evaluate((h) => (location.hash = h), hash);
        await tab.waitForSelector('h1');
      }
      await tab.waitForSelector('#print-job-list');
      expect(cspViolations).toEqual([]);
    } finally {
      await strict.close();
    }
  }, 60_000);
});
