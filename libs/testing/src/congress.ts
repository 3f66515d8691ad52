import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient } from './api-client';
import { ServiceProcesses } from './service-processes';
import { TEST_ORGANISER_TOKEN } from './test-env';

/** The three services as processes, with an organiser's client for each. */
export interface RunningServices {
  services: ServiceProcesses;
  registration: ApiClient;
  badges: ApiClient;
  checkin: ApiClient;
}

export async function startThreeServices(
  basePort: number,
  env: Record<string, string> = {},
): Promise<RunningServices> {
  const services = new ServiceProcesses(basePort, env);
  await services.startAll();
  return {
    services,
    registration: new ApiClient(services.url('registration'), TEST_ORGANISER_TOKEN),
    badges: new ApiClient(services.url('badges'), TEST_ORGANISER_TOKEN),
    checkin: new ApiClient(services.url('checkin'), TEST_ORGANISER_TOKEN),
  };
}

/** The files of the sample congress (data/sample). */
export const sampleFile = (name: string) =>
  readFileSync(join(__dirname, '..', '..', '..', 'data', 'sample', name));

/**
 * An attendee list made by the sample's generator (data/sample/generate.mjs), for conference-scale
 * tests and benchmarks: `generatedAttendeeFile('--count', '50000', '--seed', '7')`.
 */
export function generatedAttendeeFile(...args: string[]): Buffer {
  const script = join(__dirname, '..', '..', '..', 'data', 'sample', 'generate.mjs');
  const run = spawnSync(process.execPath, [script, ...args], { maxBuffer: 512 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`generate.mjs failed: ${run.stderr.toString()}`);
  return run.stdout;
}

/**
 * Creates an event through the registration API with the sample programme and, unless told
 * otherwise, imports the sample attendee list; returns the import's answer.
 */
export async function createSampleCongress(
  registration: ApiClient,
  event: Record<string, unknown> & { slug: string },
  attendees: 'attendees.csv' | 'attendees-excel.csv' | null = 'attendees-excel.csv',
): Promise<{ created: number; rejected: unknown[] } | null> {
  const created = await registration.post('/api/events', event);
  if (created.status !== 201)
    throw new Error(`event not created: ${created.status} ${JSON.stringify(created.body)}`);
  const programme = await registration.post(
    `/api/events/${event.slug}/sessions`,
    sampleFile('sessions.csv'),
    {
      'content-type': 'text/csv',
    },
  );
  if (programme.status !== 200) throw new Error(`programme not loaded: ${programme.status}`);
  if (!attendees) return null;
  const imported = await registration.post(
    `/api/events/${event.slug}/attendees/import`,
    sampleFile(attendees),
    {
      'content-type': 'text/csv',
    },
  );
  if (imported.status !== 200)
    throw new Error(`import failed: ${imported.status} ${JSON.stringify(imported.body)}`);
  return imported.body;
}
