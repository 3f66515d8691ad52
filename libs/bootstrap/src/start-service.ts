import cluster from 'node:cluster';
import { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { ConfigurationError, parseEnvironment } from '@einlass/config';
import {
  answerClusterMetricRequests,
  enableProcessMetrics,
  observeHttpRequest,
  startMetricsServer,
} from '@einlass/metrics';
import pino from 'pino';
import { apiDocumentOptionsOf, serveApiDocument } from './api-document';
import { installFastRoutes } from './fast-routes';
import { HttpExceptionFilter } from './http-exception.filter';
import { logLeanRoute } from './logging';
import { installRequestLimits } from './request-limits';
import { loadTls, type TlsFiles } from './tls';
import { FastValidationPipe } from './validation';
import { EXIT_CONFIGURATION_ERROR, superviseServiceProcesses } from './service-processes';

/** JSON bodies above this are answered 413 (API.md). */
export const JSON_BODY_LIMIT = 1024 * 1024;

export type PortVariable = 'REGISTRATION_PORT' | 'BADGES_PORT' | 'CHECKIN_PORT';

const SERVICE_OF_PORT = {
  REGISTRATION_PORT: {
    name: 'registration',
    processes: 'REGISTRATION_PROCESSES',
    metricsPort: 'REGISTRATION_METRICS_PORT',
  },
  BADGES_PORT: {
    name: 'badges',
    processes: 'BADGES_PROCESSES',
    metricsPort: 'BADGES_METRICS_PORT',
  },
  CHECKIN_PORT: {
    name: 'checkin',
    processes: 'CHECKIN_PROCESSES',
    metricsPort: 'CHECKIN_METRICS_PORT',
  },
} as const;

/** The HTTP plumbing every service shares: Fastify, validation, error shape, logs, clean shutdown. */
export async function createHttpApp(
  module: Type<unknown>,
  options: { bodyLimit?: number; tls?: TlsFiles } = {},
): Promise<NestFastifyApplication> {
  const env = parseEnvironment(process.env);
  const bodyLimit = options.bodyLimit ?? JSON_BODY_LIMIT;
  const app = await NestFactory.create<NestFastifyApplication>(
    module,
    // trustProxy: whose X-Forwarded-For names the client (rate limits per address); by default
    // only a proxy on this machine's loopback, so a client cannot pick its own address.
    new FastifyAdapter({
      bodyLimit,
      trustProxy: env.TRUST_PROXY,
      ...(options.tls ? { https: options.tls } : {}),
    }),
    // Nest's own JSON and form parsers stay out: JSON is read by installRequestLimits (UTF-8 and
    // depth checked), and no endpoint takes HTML forms (415).
    { bufferLogs: true, bodyParser: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  // HTTP latency by route pattern (`/api/events/:slug/scan`, never the URL with its values).
  fastify.addHook('onResponse', (request, reply, done) => {
    observeHttpRequest(
      request.method,
      request.routeOptions.url,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    logLeanRoute(request, reply);
    done();
  });
  installRequestLimits(fastify, env, bodyLimit);
  installFastRoutes(fastify);
  app.useLogger(app.get(Logger));
  app.useGlobalPipes(
    new FastValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: true,
    }),
  );
  app.useGlobalFilters(new HttpExceptionFilter());
  // The organisers' pages (served by the checkin service) call all three services from the
  // browser. Any origin may: tokens travel in the Authorization header, never in cookies, so a
  // foreign page has nothing ambient to abuse.
  app.enableCors({
    origin: true,
    credentials: false,
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Last-Event-ID'],
    exposedHeaders: ['Content-Disposition', 'Retry-After'],
    maxAge: 600,
  });
  app.enableShutdownHooks();
  const apiDocument = apiDocumentOptionsOf(module);
  if (apiDocument) serveApiDocument(app, apiDocument);
  return app;
}

/**
 * Starts a service: checks the environment first (a bad variable stops it with a message naming
 * the variable, before anything connects), then listens on its port; with <SERVICE>_PROCESSES
 * above 1, in that many processes sharing the port.
 */
export async function startService(
  module: Type<unknown>,
  portVariable: PortVariable,
  configure?: (app: NestFastifyApplication) => void,
): Promise<void> {
  let port: number;
  let host: string;
  let processes: number;
  let logLevel: string;
  let tls: TlsFiles | undefined;
  let metrics: { port: number; host: string };
  try {
    const env = parseEnvironment(process.env);
    tls = loadTls(env);
    port = env[portVariable];
    host = env.HOST;
    processes = env[SERVICE_OF_PORT[portVariable].processes];
    logLevel = env.LOG_LEVEL;
    metrics = { port: env[SERVICE_OF_PORT[portVariable].metricsPort], host: env.METRICS_HOST };
  } catch (error) {
    if (error instanceof ConfigurationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(EXIT_CONFIGURATION_ERROR); // EX_CONFIG
    }
    throw error;
  }
  stopWithParent();
  const service = SERVICE_OF_PORT[portVariable].name;
  enableProcessMetrics(service);
  if (processes > 1 && cluster.isPrimary) {
    superviseServiceProcesses(service, processes, logLevel);
    // The primary serves the metrics of all its processes, added up.
    await serveMetrics(service, metrics, logLevel, true);
    return;
  }
  if (cluster.isWorker) answerClusterMetricRequests();
  const app = await createHttpApp(module, { tls });
  configure?.(app);
  await app.listen(port, host);
  if (cluster.isPrimary) await serveMetrics(service, metrics, logLevel, false);
}

/**
 * GET /metrics on the service's metrics port (0: none). A port that cannot be bound is logged and
 * the service goes on without metrics: the door matters more than its graphs.
 */
async function serveMetrics(
  service: string,
  { port, host }: { port: number; host: string },
  level: string,
  clustered: boolean,
): Promise<void> {
  if (port === 0) return;
  const log = pino({ name: service, level });
  const server = await startMetricsServer({
    port,
    host,
    cluster: clustered,
    onError: (error) =>
      log.error(
        { err: error, port, host },
        'metrics could not listen; the service goes on without',
      ),
  });
  if (server) log.info({ port, host }, 'metrics at /metrics');
}

/**
 * A service started by a parent over an IPC channel (the end-to-end tests' harness, a process
 * manager that speaks IPC) shuts down cleanly when that parent goes away, even when it was killed
 * and could not stop its children: an orphaned service would keep its port and its outbox relay
 * and answer the next run's requests. The channel itself does not keep the service alive.
 * (Processes of a <SERVICE>_PROCESSES cluster are left to node:cluster, which does the same.)
 */
function stopWithParent(): void {
  if (!process.channel || cluster.isWorker) return;
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.channel.unref();
}
