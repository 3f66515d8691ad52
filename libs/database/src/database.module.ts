import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Environment } from '@einlass/config';
import { dataSourceOptions, migrate, ServiceDatabase } from './data-source-options';
import { OutboxRelay } from './outbox-relay';

/**
 * PostgreSQL for one service: its schema migrated at start-up (unless RUN_MIGRATIONS=false), the
 * TypeORM data source, and the relay that publishes its outbox.
 */
@Global()
@Module({})
export class DatabaseModule {
  static forService(service: ServiceDatabase): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [ConfigService],
          useFactory: async (config: ConfigService<Environment, true>) => {
            const url = config.get('DATABASE_URL', { infer: true });
            if (config.get('RUN_MIGRATIONS', { infer: true })) {
              const ran = await migrate(url, service);
              if (ran.length > 0) {
                new Logger('Migrations').log(
                  { schema: service.schema, migrations: ran },
                  'Migrations applied',
                );
              }
            }
            return { ...dataSourceOptions(url, service), retryAttempts: 3, retryDelay: 1000 };
          },
        }),
        TypeOrmModule.forFeature(service.entities as never[]),
      ],
      providers: [
        {
          provide: OutboxRelay,
          inject: [getDataSourceToken(), ConfigService],
          useFactory: (dataSource: DataSource, config: ConfigService<Environment, true>) =>
            new OutboxRelay(dataSource, config, service.schema),
        },
      ],
      exports: [TypeOrmModule, OutboxRelay],
    };
  }
}
