import { Global, Module } from '@nestjs/common';
import { ConfigModule as NestConfigModule, ConfigService } from '@nestjs/config';
import { Environment, parseEnvironment } from './environment';

/** Typed access to the validated environment: `config.get('DATABASE_URL', { infer: true })`. */
export type AppConfig = ConfigService<Environment, true>;

@Global()
@Module({
  imports: [
    NestConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      cache: true,
      validate: (raw) => parseEnvironment(raw as Record<string, string | undefined>),
    }),
  ],
})
export class ConfigModule {}
