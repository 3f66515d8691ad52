import { randomUUID } from 'node:crypto';
import type { EventSnapshot } from '@einlass/contracts';

/** An event as the services' messages carry it: a new id, the sample congress's day and zone. */
export function eventSnapshot(
  slug: string,
  name = 'Thüringer eGovernment-Kongress 2023',
): EventSnapshot {
  return {
    id: randomUUID(),
    slug,
    name,
    venue: null,
    startsAt: '2023-10-24T06:00:00.000Z',
    endsAt: '2023-10-24T16:00:00.000Z',
    timezone: 'Europe/Berlin',
  };
}
