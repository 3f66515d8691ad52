import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLE_EVENT, sampleDataDir, sampleProgrammeCsv } from './sample-congress';

/**
 * `npm run seed`: loads the sample congress through the registration API (so badges and check-in
 * receive it the normal way), but only into an installation that has no events yet.
 * Needs ORGANISER_TOKEN; finds registration where the services do: REGISTRATION_URL, else
 * http://127.0.0.1:REGISTRATION_PORT (3001 when neither is set).
 */
async function main(): Promise<void> {
  const base = seedTarget(process.env);
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

/** Where the seed sends the organiser token: the configured registration, never a guess. */
export function seedTarget(env: Record<string, string | undefined>): string {
  const port = env.REGISTRATION_PORT ? Number(env.REGISTRATION_PORT) : 3001;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`REGISTRATION_PORT must be a port number, not "${env.REGISTRATION_PORT}"`);
  }
  // As registrationUrl (libs/config) decides for the services; not imported from there, as the
  // config module validates the services' whole environment on import (DATABASE_URL, …).
  return (env.REGISTRATION_URL || `http://127.0.0.1:${port}`).replace(/\/+$/, '');
}

if (require.main === module)
  void main().catch((error: unknown) => {
    process.stderr.write(
      `seed failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  });
