import { BadRequestException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AuditTrail, type Principal } from '@einlass/auth';
import { Event } from '../events/event.entity';
import { EventsRepository } from '../events/events.repository';
import { eventUpdated } from '../published-events';
import { RegistrationRetention } from './registration-retention';

/**
 * Sets the date on which every service erases the event's personal data. The new date travels to
 * badges and check-in as `event.updated`; a date already passed is acted on at once.
 */
export class ChangeRetention extends Command<Event> {
  constructor(
    readonly eventSlug: string,
    readonly erasePersonalDataAt: Date,
    readonly principal: Principal,
  ) {
    super();
  }
}

/** Erases the event's personal data now: the retention date becomes now. */
export class EraseEventNow extends Command<Event> {
  constructor(
    readonly eventSlug: string,
    readonly confirm: string,
    readonly principal: Principal,
  ) {
    super();
  }
}

@CommandHandler(ChangeRetention)
export class ChangeRetentionHandler implements ICommandHandler<ChangeRetention, Event> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly retention: RegistrationRetention,
  ) {}

  async execute({ eventSlug, erasePersonalDataAt, principal }: ChangeRetention): Promise<Event> {
    const event = await setRetentionDate(
      this.dataSource,
      this.events,
      eventSlug,
      erasePersonalDataAt,
      principal,
      'event.retention_changed',
    );
    if (event.erasePersonalDataAt <= new Date()) await this.retention.runNow();
    return this.events.bySlugOrFail(eventSlug, this.dataSource.manager);
  }
}

@CommandHandler(EraseEventNow)
export class EraseEventNowHandler implements ICommandHandler<EraseEventNow, Event> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventsRepository,
    private readonly retention: RegistrationRetention,
  ) {}

  async execute({ eventSlug, confirm, principal }: EraseEventNow): Promise<Event> {
    if (confirm !== eventSlug) {
      throw new BadRequestException([
        `confirm must be the event's slug ("${eventSlug}") typed again`,
      ]);
    }
    await setRetentionDate(
      this.dataSource,
      this.events,
      eventSlug,
      new Date(),
      principal,
      'event.erased',
    );
    await this.retention.runNow();
    return this.events.bySlugOrFail(eventSlug, this.dataSource.manager);
  }
}

async function setRetentionDate(
  dataSource: DataSource,
  events: EventsRepository,
  slug: string,
  date: Date,
  principal: Principal,
  action: 'event.retention_changed' | 'event.erased',
): Promise<Event> {
  return dataSource.transaction(async (manager) => {
    const event = await events.bySlugOrFail(slug, manager);
    await manager.query(
      `UPDATE events SET erase_personal_data_at = $2, revision = revision + 1 WHERE id = $1`,
      [event.id, date],
    );
    const changed = await manager.findOneByOrFail(Event, { id: event.id });
    await eventUpdated(manager, changed);
    await AuditTrail.record(manager, 'registration', principal, {
      eventId: event.id,
      action,
      details: { erasePersonalDataAt: date.toISOString() },
    });
    return changed;
  });
}
