import type { BadgeEvent } from '../events/badge-event.entity';
import { Badge, shortCode } from '../issuing/badge.entity';
import type { BadgeContent } from './badge-renderer';

/** What a badge prints, from the badges service's records. */
export function badgeContent(event: BadgeEvent, badge: Badge): BadgeContent {
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
  };
}
