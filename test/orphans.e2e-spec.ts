import { spawn } from 'node:child_process';
import { builtEntry, freePort, serviceEnv, waitFor } from '@einlass/testing';

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A service started by a parent over an IPC channel (the tests' harness, a process manager) stops
 * when that parent dies without stopping it: an orphan would keep its port and its outbox relay
 * and answer for the next service started there.
 */
describe('a service whose parent dies', () => {
  it('stops by itself and frees its port', async () => {
    const port = await freePort();
    // The parent: starts check-in with an IPC channel, says its pid, then waits to be killed.
    const parentScript = `
      const { spawn } = require('node:child_process');
      const child = spawn(process.execPath, [process.argv[1]], {
        env: JSON.parse(process.argv[2]),
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
      });
      process.stdout.write(String(child.pid) + '\\n');
      setInterval(() => {}, 1000);
    `;
    const env = { PATH: process.env.PATH ?? '', ...serviceEnv(), CHECKIN_PORT: String(port) };
    const parent = spawn(
      process.execPath,
      ['-e', parentScript, builtEntry('checkin'), JSON.stringify(env)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const servicePid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    try {
      await waitFor(
        'check-in to answer /health',
        async () =>
          (await fetch(`http://127.0.0.1:${port}/health`).catch(() => undefined))?.status === 200,
        { timeoutMs: 60_000, intervalMs: 200 },
      );

      parent.kill('SIGKILL');

      await waitFor('the service to stop', () => Promise.resolve(!isRunning(servicePid)), {
        timeoutMs: 20_000,
        intervalMs: 100,
      });
      expect(await fetch(`http://127.0.0.1:${port}/health`).catch(() => 'refused')).toBe('refused');
    } finally {
      if (isRunning(servicePid)) process.kill(servicePid, 'SIGKILL');
      parent.kill('SIGKILL');
    }
  }, 90_000);
});
