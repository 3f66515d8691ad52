import type { EntityManager } from 'typeorm';
import { runOverlapped } from './overlapped-statements';

/** A manager whose statements finish when the test says so, recording what happened when. */
function recordingManager() {
  const log: string[] = [];
  const pending: { sql: string; finish: (fail?: Error) => void }[] = [];
  const manager = {
    query: (sql: string) =>
      new Promise<void>((resolve, reject) => {
        log.push(`sent ${sql}`);
        pending.push({
          sql,
          finish: (fail) => {
            log.push(`done ${sql}`);
            if (fail) reject(fail);
            else resolve();
          },
        });
      }),
  } as unknown as EntityManager;
  return { manager, log, pending };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('runOverlapped', () => {
  it('builds the next statement while the previous one runs, and sends them one at a time, in order', async () => {
    const { manager, log, pending } = recordingManager();
    const run = runOverlapped(manager, ['a', 'b', 'c'], (part) => {
      log.push(`built ${part}`);
      return { sql: part, parameters: [] };
    });
    await turn();
    await turn();
    // b is built while a runs; b is not sent before a is done.
    expect(log).toEqual(['built a', 'sent a', 'built b']);
    pending[0].finish();
    await turn();
    await turn();
    expect(log).toEqual(['built a', 'sent a', 'built b', 'done a', 'sent b', 'built c']);
    pending[1].finish();
    await turn();
    await turn();
    pending[2].finish();
    await run;
    expect(log.slice(-3)).toEqual(['done b', 'sent c', 'done c']);
  });

  it('fails with the first failing statement and sends nothing after it', async () => {
    const { manager, log, pending } = recordingManager();
    const run = runOverlapped(manager, ['a', 'b'], (part) => ({ sql: part, parameters: [] }));
    await turn();
    pending[0].finish(new Error('duplicate key'));
    await expect(run).rejects.toThrow('duplicate key');
    expect(log).toEqual(['sent a', 'done a']);
  });
});
