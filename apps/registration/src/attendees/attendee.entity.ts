import { type DoorAttendanceView, NO_ATTENDANCE } from '../attendance/door-attendance';
import { Column, CreateDateColumn, Entity, PrimaryColumn, Unique, UpdateDateColumn } from 'typeorm';
import type { AttendeeSnapshot, Category } from '@einlass/contracts';
import type { Places } from '../sessions/signup-book';

export type AttendeeStatus = 'registered' | 'cancelled';

@Entity({ name: 'attendees' })
@Unique('attendees_event_external_id_key', ['eventId', 'externalId'])
export class Attendee {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  /** The organiser's own id for the person (booking number); unique within the event. */
  @Column({ type: 'text', nullable: true })
  externalId!: string | null;

  @Column({ type: 'text', nullable: true })
  title!: string | null;

  @Column({ type: 'text' })
  firstName!: string;

  @Column({ type: 'text' })
  lastName!: string;

  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ type: 'text', nullable: true })
  organisation!: string | null;

  @Column({ type: 'text' })
  category!: Category;

  @Column({ type: 'text', default: 'registered' })
  status!: AttendeeStatus;

  /** Grows with each change; consumers keep the highest revision they have seen. */
  @Column({ type: 'int', default: 1 })
  revision!: number;

  /** Names, organisation, email and external id folded for search (see foldName in @einlass/door-rules). */
  @Column({ type: 'text', select: false })
  searchText!: string;

  /** Folded "last first" name: the list's sort order. */
  @Column({ type: 'text', select: false })
  sortName!: string;

  /** When the person's data was erased (on request, or with the event's): the row keeps no data. */
  @Column({ type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}

export function attendeeSnapshot(attendee: Attendee, places: Places): AttendeeSnapshot {
  return {
    id: attendee.id,
    eventId: attendee.eventId,
    externalId: attendee.externalId,
    title: attendee.title,
    firstName: attendee.firstName,
    lastName: attendee.lastName,
    organisation: attendee.organisation,
    category: attendee.category,
    sessions: places.sessions,
    waitlist: places.waitlist,
    status: attendee.status,
    revision: attendee.revision,
  };
}

/** What the API shows of an attendee; door tokens never see emails. */
export function attendeeView(
  attendee: Attendee,
  places: Places,
  options: { withEmail: boolean; attendance?: DoorAttendanceView },
) {
  return {
    id: attendee.id,
    externalId: attendee.externalId,
    title: attendee.title,
    firstName: attendee.firstName,
    lastName: attendee.lastName,
    ...(options.withEmail ? { email: attendee.email } : {}),
    organisation: attendee.organisation,
    category: attendee.category,
    sessions: places.sessions,
    waitlist: places.waitlist,
    status: attendee.status,
    revision: attendee.revision,
    /** From the door's feed (attendee.checked_in / attendee.left), a moment behind the door. */
    attendance: options.attendance ?? NO_ATTENDANCE,
    erasedAt: attendee.erasedAt?.toISOString() ?? null,
    createdAt: attendee.createdAt.toISOString(),
    updatedAt: attendee.updatedAt.toISOString(),
  };
}
