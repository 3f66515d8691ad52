import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@einlass/config';
import { QueueName } from '@einlass/contracts';
import { EVENT_JOB_OPTIONS } from './job-options';
import { QueuedCopies } from './queued-copies';
import { redisOptionsFromUrl } from './redis-connection';

/**
 * BullMQ for one service: the shared Redis connection and prefix, and the queue it consumes.
 * Producing goes through the outbox relay (@einlass/outbox), never straight from a request.
 */
@Module({})
export class MessagingModule {
  static forConsumer(queue: QueueName): DynamicModule {
    return {
      module: MessagingModule,
      imports: [
        BullModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) => ({
            connection: redisOptionsFromUrl(config.get('REDIS_URL', { infer: true })),
            prefix: config.get('QUEUE_PREFIX', { infer: true }),
            defaultJobOptions: EVENT_JOB_OPTIONS,
          }),
        }),
        BullModule.registerQueue({ name: queue }),
      ],
      providers: [
        {
          provide: QueuedCopies,
          inject: [ConfigService],
          useFactory: (config: ConfigService<Environment, true>) =>
            new QueuedCopies(
              config.get('REDIS_URL', { infer: true }),
              config.get('QUEUE_PREFIX', { infer: true }),
            ),
        },
      ],
      exports: [BullModule, QueuedCopies],
    };
  }
}
