import type { EntityManager } from 'typeorm';
import { EventBranding } from '../branding/event-branding.entity';
import type { BadgeEvent } from '../events/badge-event.entity';
import { Badge, shortCode } from '../issuing/badge.entity';
import type { BadgeBranding, BadgeContent } from './badge-design';

/**
 * The event's branding for its badges, or undefined for the defaults. Load it once per document
 * (one badge.pdf, one print job) and give every badge the same object: its logo is then embedded
 * once.
 */
export async function loadBadgeBranding(
  manager: EntityManager,
  eventId: string,
): Promise<BadgeBranding | undefined> {
  const branding = await manager.getRepository(EventBranding).findOneBy({ eventId });
  if (!branding) return undefined;
  return { logo: branding.logo, colours: branding.categoryColours, labels: branding.labels };
}

/** What a badge prints, from the badges service's records. */
export function badgeContent(
  event: BadgeEvent,
  badge: Badge,
  branding?: BadgeBranding,
): BadgeContent {
  return {
    eventName: event.name,
    eventDate: new Intl.DateTimeFormat('de-DE', {
      dateStyle: 'long',
      timeZone: event.timezone,
    }).format(event.startsAt),
    title: badge.attendee.title,
    firstName: badge.attendee.firstName,
    lastName: badge.attendee.lastName,
    organisation: badge.attendee.organisation,
    category: badge.attendee.category,
    qrText: badge.qr,
    shortCode: shortCode(badge.qr),
    branding,
  };
}
