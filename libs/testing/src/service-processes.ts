import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { httpsRequest } from './https-get';
import { quietLeftoverOutboxes } from './outbox-leftovers';
import { freePort, isPortFree } from './ports';
import { serviceEnv } from './test-env';
import { waitFor } from './wait-for';

export type ServiceName = 'registration' | 'badges' | 'checkin';
export const SERVICE_NAMES: ServiceName[] = ['registration', 'badges', 'checkin'];

const PORT_VARIABLE: Record<ServiceName, string> = {
  registration: 'REGISTRATION_PORT',
  badges: 'BADGES_PORT',
  checkin: 'CHECKIN_PORT',
};

const ROOT = join(__dirname, '..', '..', '..');
export const builtEntry = (name: ServiceName) =>
  join(ROOT, 'dist', 'apps', name, 'apps', name, 'src', 'main.js');

/**
 * The three services as separate processes (built output, as in production), for end-to-end tests.
 * Each keeps its last log lines so a failing test can say why a service died. A service is
 * spawned with an IPC channel, so it stops when the test process dies (startService), and never
 * on a port something else holds: a leftover process there would answer /health in its place.
 */
export class ServiceProcesses {
  private readonly processes = new Map<ServiceName, ChildProcess>();
  private readonly logs = new Map<ServiceName, string[]>();
  /** The ports asked for; a service whose port is taken moves to a free one when it starts. */
  readonly ports: Record<ServiceName, number>;

  constructor(
    basePort: number,
    private readonly env: Record<string, string> = {},
  ) {
    this.ports = { registration: basePort, badges: basePort + 1, checkin: basePort + 2 };
  }

  /** The service's address; https when the services were given a certificate (TLS_CERT_FILE). */
  url(name: ServiceName): string {
    const scheme = this.env.TLS_CERT_FILE ? 'https' : 'http';
    return `${scheme}://127.0.0.1:${this.ports[name]}`;
  }

  /** Answers 200 on /health (over HTTPS trusting the services' own authority, TLS_CA_FILE). */
  private async healthy(name: ServiceName): Promise<boolean> {
    const url = `${this.url(name)}/health`;
    if (!this.env.TLS_CERT_FILE) {
      const response = await fetch(url).catch(() => undefined);
      return response?.status === 200;
    }
    const ca = readFileSync(this.env.TLS_CA_FILE ?? this.env.TLS_CERT_FILE);
    const response = await httpsRequest(url, ca).catch(() => undefined);
    return response?.status === 200;
  }

  async startAll(): Promise<void> {
    await quietLeftoverOutboxes(serviceEnv(this.env).DATABASE_URL);
    // All ports are settled before any service starts: each is told where the others listen.
    for (const name of SERVICE_NAMES) await this.settlePort(name);
    await Promise.all(SERVICE_NAMES.map((name) => this.start(name)));
  }

  /** Keeps a service's port if it is free, else moves the service to a free one. */
  private async settlePort(name: ServiceName): Promise<void> {
    if (!(await isPortFree(this.ports[name]))) this.ports[name] = await freePort();
  }

  async start(name: ServiceName): Promise<void> {
    await this.settlePort(name);
    const entry = builtEntry(name);
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
    // Extra node flags for a look inside, e.g. EINLASS_SERVICE_NODE_ARGS="--cpu-prof".
    const nodeArgs = (process.env.EINLASS_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, [...nodeArgs, entry], {
      env: {
        PATH: process.env.PATH ?? '',
        // Every service knows where the others listen: check-in tells the organisers' pages.
        ...Object.fromEntries(
          SERVICE_NAMES.map((service) => [PORT_VARIABLE[service], String(this.ports[service])]),
        ),
        ...serviceEnv(this.env),
        [PORT_VARIABLE[name]]: String(this.ports[name]),
        HOST: this.env.HOST ?? '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const lines: string[] = [];
    this.logs.set(name, lines);
    const keep = (chunk: Buffer) => {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      if (lines.length > 200) lines.splice(0, lines.length - 200);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // A look inside a benchmark or a test: EINLASS_SERVICE_LOG_DIR keeps each service's whole log.
    const logDir = process.env.EINLASS_SERVICE_LOG_DIR;
    if (logDir) {
      const file = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
      child.stdout?.pipe(file);
      child.stderr?.pipe(file);
    }
    this.processes.set(name, child);
    await waitFor(
      `${name} to answer /health`,
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`${name} exited with ${child.exitCode}:\n${lines.slice(-20).join('\n')}`);
        }
        return this.healthy(name);
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n--- ${name} log ---\n${lines.slice(-30).join('\n')}`);
    });
  }

  /** Stops a service: gracefully (SIGTERM), or as a crash (SIGKILL). */
  async stop(name: ServiceName, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const child = this.processes.get(name);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    this.processes.delete(name);
  }

  async stopAll(): Promise<void> {
    await Promise.all(SERVICE_NAMES.map((name) => this.stop(name)));
  }

  /** The process id of a running service (for reading its memory use). */
  pid(name: ServiceName): number | undefined {
    return this.processes.get(name)?.pid;
  }

  log(name: ServiceName): string {
    return (this.logs.get(name) ?? []).join('\n');
  }
}
