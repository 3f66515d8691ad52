import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
import { DataSource } from 'typeorm';
import { OutboxRelay } from './outbox-relay';
import { Reconciliation } from './reconciliation';

/**
 * `GET /api/events/:slug/pipeline` (organisers; the token must be valid for the event): the state
 * of this service's messages, for the set-up page. Each service answers for itself.
 */
@Controller('api/events/:slug/pipeline')
export class PipelineController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
    private readonly reconciliation: Reconciliation,
  ) {}

  @ApiOkResponse({ schema: answer('Pipeline') })
  @Get()
  async get(@Param('slug') slug: string) {
    const [event]: { id: string }[] = await this.dataSource.query(
      `SELECT id FROM events WHERE slug = $1`,
      [slug],
    );
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    const [outbox, redis, queue] = await Promise.all([
      this.relay.outboxState(),
      this.relay.redisState(),
      this.relay.ownQueueCounts(),
    ]);
    const reconciliation = this.reconciliation.status();
    return {
      service: this.relay.origin,
      outbox,
      queue,
      redis,
      reconciliation: {
        ...reconciliation,
        // Repairs of this event, and of what is not kept per event (API tokens).
        repairs: reconciliation.repairs.filter((r) => r.scope === event.id || r.scope === '*'),
      },
    };
  }
}
