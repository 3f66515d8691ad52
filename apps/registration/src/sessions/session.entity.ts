import { Column, Entity, PrimaryColumn, Unique } from 'typeorm';

export const SESSION_KINDS = ['talk', 'workshop'] as const;
export type SessionKind = (typeof SESSION_KINDS)[number];

/** A talk or a seat-limited workshop of an event's programme. */
@Entity({ name: 'sessions' })
@Unique('sessions_event_code_key', ['eventId', 'code'])
export class Session {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  eventId!: string;

  /** The programme's code (`W01`); what attendees sign up with and door lists are named after. */
  @Column({ type: 'text' })
  code!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text', nullable: true })
  room!: string | null;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  @Column({ type: 'int' })
  capacity!: number;

  @Column({ type: 'text' })
  kind!: SessionKind;
}

export function sessionView(session: Session) {
  return {
    id: session.id,
    code: session.code,
    title: session.title,
    room: session.room,
    startsAt: session.startsAt.toISOString(),
    endsAt: session.endsAt.toISOString(),
    capacity: session.capacity,
    kind: session.kind,
  };
}
