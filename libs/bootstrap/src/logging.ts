import { LoggerModule } from 'nestjs-pino';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '@einlass/config';

/** Structured JSON logs (pino), one line per event, with the service's name on every line. */
export const loggingModule = (service: string) =>
  LoggerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<Environment, true>) => ({
      pinoHttp: {
        name: service,
        level: config.get('LOG_LEVEL', { infer: true }),
        transport: config.get('LOG_PRETTY', { infer: true })
          ? {
              target: 'pino-pretty',
              options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
            }
          : undefined,
        // Never log bearer tokens.
        redact: ['req.headers.authorization'],
        autoLogging: { ignore: (req) => req.url === '/health' },
        customLogLevel: (_req, res, error) =>
          error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      },
    }),
  });
