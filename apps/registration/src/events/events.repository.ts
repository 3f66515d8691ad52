import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Event } from './event.entity';

@Injectable()
export class EventsRepository {
  constructor(private readonly dataSource: DataSource) {}

  all(): Promise<Event[]> {
    return this.dataSource.getRepository(Event).find({ order: { startsAt: 'ASC', slug: 'ASC' } });
  }

  /** The event, or a 404 that names the slug. */
  async bySlugOrFail(
    slug: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Event> {
    const event = await manager.findOneBy(Event, { slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    return event;
  }
}
