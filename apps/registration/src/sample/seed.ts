import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_EVENT, sampleDataDir, sampleProgrammeCsv } from './sample-congress';

/**
 * `npm run seed`: loads the sample congress through the registration API (so badges and check-in
 * receive it the normal way), but only into an installation that has no events yet.
 * Needs REGISTRATION_URL (default http://127.0.0.1:3001) and ORGANISER_TOKEN.
 */
async function main(): Promise<void> {
  const base = (process.env.REGISTRATION_URL ?? 'http://127.0.0.1:3001').replace(/\/$/, '');
  const token = process.env.ORGANISER_TOKEN;
  if (!token) throw new Error('ORGANISER_TOKEN is required');
  const call = async (method: string, path: string, body?: unknown, type = 'application/json') => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': type }),
      },
      body:
        body === undefined
          ? undefined
          : type === 'application/json'
            ? JSON.stringify(body)
            : (body as Buffer),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as unknown;
  };

  const events = (await call('GET', '/api/events')) as unknown[];
  if (events.length > 0) {
    process.stdout.write(`seed: ${events.length} event(s) already there; nothing loaded\n`);
    return;
  }
  await call('POST', '/api/events', SAMPLE_EVENT);
  const programme = await call(
    'POST',
    `/api/events/${SAMPLE_EVENT.slug}/sessions`,
    sampleProgrammeCsv(),
    'text/csv',
  );
  process.stdout.write(
    `seed: event ${SAMPLE_EVENT.slug}, programme ${JSON.stringify(programme)}\n`,
  );

  const imported = (await call(
    'POST',
    `/api/events/${SAMPLE_EVENT.slug}/attendees/import`,
    readFileSync(join(sampleDataDir(), 'attendees.csv')),
    'text/csv',
  )) as { created: number; rejected: unknown[] };
  process.stdout.write(
    `seed: ${imported.created} attendees imported, ${imported.rejected.length} rows rejected\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`seed failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
