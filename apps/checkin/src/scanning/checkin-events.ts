import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CheckinEvent } from '../read-model/read-model.entities';

/** Events by slug, remembered for a few seconds (the scan path asks for one on every scan). */
@Injectable()
export class CheckinEvents {
  private readonly cache = new Map<string, { event: CheckinEvent; until: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async bySlugOrFail(slug: string): Promise<CheckinEvent> {
    const hit = this.cache.get(slug);
    if (hit && hit.until > Date.now()) return hit.event;
    const event = await this.dataSource.getRepository(CheckinEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    this.cache.set(slug, { event, until: Date.now() + 5000 });
    return event;
  }
}
