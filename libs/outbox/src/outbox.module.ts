import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Environment } from '@einlass/config';
import type { ServiceDatabase } from '@einlass/database';
import { OutboxRelay } from './outbox-relay';

/**
 * The relay that publishes one service's outbox into its consumers' queues (next to
 * DatabaseModule.forService, whose data source it uses).
 */
@Global()
@Module({})
export class OutboxModule {
  static forService(schema: ServiceDatabase['schema']): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        {
          provide: OutboxRelay,
          inject: [getDataSourceToken(), ConfigService],
          useFactory: (dataSource: DataSource, config: ConfigService<Environment, true>) =>
            new OutboxRelay(dataSource, config, schema),
        },
      ],
      exports: [OutboxRelay],
    };
  }
}
