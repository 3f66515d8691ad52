import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Event } from './event.entity';

/** How long a read outside a transaction may use a remembered event (slug and id never change). */
const CACHE_MS = 5000;

@Injectable()
export class EventsRepository {
  private readonly cache = new Map<string, { event: Event; until: number }>();

  constructor(private readonly dataSource: DataSource) {}

  all(): Promise<Event[]> {
    return this.dataSource.getRepository(Event).find({ order: { startsAt: 'ASC', slug: 'ASC' } });
  }

  /**
   * The event, or a 404 that names the slug. Inside a transaction (a manager given) it is read
   * afresh; plain reads may use one remembered for a few seconds.
   */
  async bySlugOrFail(slug: string, manager?: EntityManager): Promise<Event> {
    const cached = manager ? undefined : this.cache.get(slug);
    if (cached && cached.until > Date.now()) return cached.event;
    const event = await (manager ?? this.dataSource.manager).findOneBy(Event, { slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    if (!manager) {
      if (this.cache.size > 1000) this.cache.clear();
      this.cache.set(slug, { event, until: Date.now() + CACHE_MS });
    }
    return event;
  }
}
