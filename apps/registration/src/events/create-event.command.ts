import { BadRequestException, ConflictException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { isUniqueViolation } from '@einlass/database';
import { CreateEventDto } from './create-event.dto';
import { eventCreated } from '../published-events';
import { defaultErasureDate, Event } from './event.entity';

export class CreateEvent extends Command<Event> {
  constructor(readonly input: CreateEventDto) {
    super();
  }
}

@CommandHandler(CreateEvent)
export class CreateEventHandler implements ICommandHandler<CreateEvent, Event> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ input }: CreateEvent): Promise<Event> {
    const startsAt = new Date(input.startsAt);
    const endsAt = new Date(input.endsAt);
    if (endsAt <= startsAt) throw new BadRequestException(['endsAt must be after startsAt']);
    return this.dataSource.transaction(async (manager) => {
      const created = manager.create(Event, {
        id: randomUUID(),
        slug: input.slug,
        name: input.name.trim(),
        venue: input.venue?.trim() || null,
        startsAt,
        endsAt,
        timezone: input.timezone,
        erasePersonalDataAt: input.erasePersonalDataAt
          ? new Date(input.erasePersonalDataAt)
          : defaultErasureDate(endsAt),
        personalDataErasedAt: null,
        revision: 1,
      });
      try {
        await manager.insert(Event, created);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictException(`An event with slug "${input.slug}" already exists`);
        }
        throw error;
      }
      await eventCreated(manager, created);
      return created;
    });
  }
}
