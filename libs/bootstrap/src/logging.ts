import { RequestMethod } from '@nestjs/common';
import { LoggerModule, PinoLogger } from 'nestjs-pino';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Environment } from '@einlass/config';

/**
 * The door's routes, thousands of requests a second: logged by a lean line of the same shape
 * when answered (logLeanRoute), not by pino-http's middleware, which gives each request a child
 * logger and an async context (about 8 % of a scan's time, even with the line itself disabled).
 * Logs written while such a request is handled carry no request id.
 */
const LEAN_ROUTES = [
  { method: RequestMethod.POST, path: 'api/events/:slug/scan' },
  { method: RequestMethod.POST, path: 'api/events/:slug/scans' },
];
const LEAN_ROUTE_URLS = new Set(LEAN_ROUTES.map(({ path }) => `/${path}`));

/** Logs a request of a lean route as pino-http would have: what was asked, how it was answered. */
export function logLeanRoute(request: FastifyRequest, reply: FastifyReply): void {
  if (request.method !== 'POST' || !LEAN_ROUTE_URLS.has(request.routeOptions.url ?? '')) return;
  const logger = PinoLogger.root as PinoLogger['logger'] | undefined;
  const status = reply.statusCode;
  const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
  if (!logger?.isLevelEnabled(level)) return;
  logger[level](
    {
      // Through the same serializers as pino-http's lines (they read these fields).
      req: { id: request.id, method: request.method, url: request.url, socket: request.raw.socket },
      res: reply.raw,
      responseTime: Math.round(reply.elapsedTime),
    },
    'request completed',
  );
}

/** Structured JSON logs (pino), one line per event, with the service's name on every line. */
export const loggingModule = (service: string) =>
  LoggerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<Environment, true>) => ({
      exclude: LEAN_ROUTES,
      pinoHttp: {
        name: service,
        level: config.get('LOG_LEVEL', { infer: true }),
        transport: config.get('LOG_PRETTY', { infer: true })
          ? {
              target: 'pino-pretty',
              options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
            }
          : undefined,
        // A request's line says what was asked, not its headers: bearer tokens are never logged,
        // and at the doors' rate a lean line matters (copying and redacting every request's
        // headers cost the scan endpoint about 7 % of its time).
        serializers: {
          req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
            id: req.id,
            method: req.method,
            url: req.url,
            remoteAddress: req.remoteAddress,
          }),
          res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
        },
        autoLogging: { ignore: (req) => req.url === '/health' },
        customLogLevel: (_req, res, error) =>
          error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      },
    }),
  });
