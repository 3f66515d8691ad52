import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { freePort } from './ports';
import { waitFor } from './wait-for';

/**
 * A Redis server of the test's own, configured as production should be (append-only file,
 * noeviction), that a test can stop and start again to play an outage.
 */
export class DisposableRedis {
  private process?: ChildProcess;
  private readonly dir = mkdtempSync(join(tmpdir(), 'einlass-redis-'));

  private constructor(
    readonly port: number,
    private readonly extraArgs: string[],
  ) {}

  /** `extraArgs` override the production settings, e.g. `['--appendonly', 'no']`. */
  static async start(extraArgs: string[] = []): Promise<DisposableRedis> {
    const redis = new DisposableRedis(await freePort(), extraArgs);
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      [
        '--port',
        String(this.port),
        '--bind',
        '127.0.0.1',
        '--dir',
        this.dir,
        '--appendonly',
        'yes',
        '--maxmemory-policy',
        'noeviction',
        '--save',
        '',
        ...this.extraArgs,
      ],
      { stdio: 'ignore' },
    );
    this.process = child;
    await waitFor(`redis on ${this.port}`, async () => {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      return new Promise<boolean>((resolve) => {
        const socket = connect(this.port, '127.0.0.1');
        socket.once('connect', () => {
          socket.write('PING\r\n');
          socket.once('data', (data: Buffer) => {
            socket.destroy();
            resolve(data.toString().startsWith('+PONG'));
          });
        });
        socket.once('error', () => resolve(false));
      });
    });
  }

  /** Stops the server the way a crash or restart would (SIGTERM: the append-only file is kept). */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  /**
   * Kills the server (SIGKILL) and starts it again with nothing: what a restart without its
   * append-only file, or a failover to an empty replica, does to the services.
   */
  async crashAndStartEmpty(): Promise<void> {
    const child = this.process;
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      });
    }
    for (const entry of readdirSync(this.dir)) {
      rmSync(join(this.dir, entry), { recursive: true, force: true });
    }
    await this.start();
  }

  /** Empties this server (FLUSHALL: the test's own server, never a shared one). */
  async flushAll(): Promise<void> {
    const client = new Redis({ host: '127.0.0.1', port: this.port, lazyConnect: true });
    try {
      await client.connect();
      await client.flushall();
    } finally {
      client.disconnect();
    }
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
