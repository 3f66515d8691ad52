import cluster, { Worker } from 'node:cluster';
import pino from 'pino';

/** A process that exits with this code found a configuration error: starting another is futile. */
export const EXIT_CONFIGURATION_ERROR = 78;

/** More unexpected exits than this within RESTART_WINDOW_MS: something is broken, stop trying. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;
const RESTART_DELAY_MS = 1000;
/** How long processes get to finish their work on shutdown before they are killed. */
const SHUTDOWN_GRACE_MS = 15_000;

/**
 * Runs a service in several processes sharing its port (node:cluster), so that it uses more than
 * one core: each process is the whole service, and everything they share lives in PostgreSQL and
 * Redis (one admission per badge is decided by the database, whichever process answers).
 *
 * This process only supervises: it starts `count` service processes, starts another when one
 * dies, and on SIGTERM or SIGINT stops them all and exits when they have finished.
 */
export function superviseServiceProcesses(service: string, count: number, level: string): void {
  const log = pino({ name: service, level });
  const unexpectedExits: number[] = [];
  let shuttingDown = false;
  let finalExitCode = 0;

  const startOne = (): Worker => cluster.fork();

  cluster.on('exit', (worker, code, signal) => {
    if (shuttingDown) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        log.info('all service processes stopped');
        process.exit(finalExitCode);
      }
      return;
    }
    if (code === EXIT_CONFIGURATION_ERROR) {
      log.fatal({ pid: worker.process.pid }, 'a service process found a configuration error');
      shutDown(EXIT_CONFIGURATION_ERROR);
      return;
    }
    const now = Date.now();
    unexpectedExits.push(now);
    while (unexpectedExits[0] < now - RESTART_WINDOW_MS) unexpectedExits.shift();
    if (unexpectedExits.length > MAX_RESTARTS) {
      log.fatal(
        { exits: unexpectedExits.length, withinMs: RESTART_WINDOW_MS },
        'service processes keep dying; giving up',
      );
      shutDown(1);
      return;
    }
    log.error(
      { pid: worker.process.pid, code, signal },
      'a service process died; starting another',
    );
    setTimeout(() => {
      if (!shuttingDown) startOne();
    }, RESTART_DELAY_MS);
  });

  const shutDown = (exitCode: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    finalExitCode = exitCode;
    const running = Object.values(cluster.workers ?? {}).filter((w): w is Worker => !!w);
    log.info({ processes: running.length }, 'stopping service processes');
    if (running.length === 0) process.exit(exitCode);
    for (const worker of running) worker.process.kill('SIGTERM');
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      process.exit(exitCode);
    }, SHUTDOWN_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => shutDown(0));
  process.on('SIGINT', () => shutDown(0));

  log.info({ processes: count }, `starting ${count} service processes sharing one port`);
  for (let i = 0; i < count; i++) startOne();
}
