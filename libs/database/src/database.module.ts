import { DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Environment } from '@einlass/config';
import { dataSourceOptions, migrate, ServiceDatabase } from './data-source-options';

/**
 * PostgreSQL for one service: its schema migrated at start-up (unless RUN_MIGRATIONS=false) and the
 * TypeORM data source. (The relay that publishes its outbox: OutboxModule, @einlass/outbox.)
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
      exports: [TypeOrmModule],
    };
  }
}
