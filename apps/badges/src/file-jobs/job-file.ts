import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';

/**
 * Stops a stream given up on and waits until its file is closed: the file is opened while the
 * writer runs, so a writer that gives up at once would otherwise have the file created after
 * the temporary file was removed.
 */
async function discard(out: WriteStream): Promise<void> {
  if (out.closed) return;
  const closed = once(out, 'close');
  out.destroy();
  await closed;
}

/**
 * A file job's file, written so that the file under the final name is always whole: streamed
 * under a temporary name of its own (a crashed run leaves only that behind), flushed to disk and
 * renamed into place. Each run writes the whole file again.
 */
export const JobFile = {
  /**
   * Writes `<directory>/<id>.<extension>` with `write`, which may throw to give it up (nothing
   * under the final name then). Answers the final path and what `write` answered.
   */
  async write<T>(
    directory: string,
    id: string,
    extension: string,
    write: (out: WriteStream) => Promise<T>,
  ): Promise<{ path: string; result: T }> {
    await mkdir(directory, { recursive: true });
    const path = join(directory, `${id}.${extension}`);
    const partPath = join(directory, `${id}.${randomUUID()}.part`);
    try {
      const out = createWriteStream(partPath, { flags: 'w' });
      let result: T;
      try {
        result = await write(out);
        out.end();
        await finished(out);
      } catch (error) {
        await discard(out);
        throw error;
      }
      const handle = await open(partPath, 'r+');
      await handle.sync().finally(() => handle.close());
      await rename(partPath, path);
      return { path, result };
    } finally {
      await rm(partPath, { force: true });
    }
  },

  /** Temporary files of earlier, killed runs of the job (once a run has finished it). */
  async removeLeftovers(directory: string, id: string): Promise<void> {
    for (const name of await readdir(directory)) {
      if (name.startsWith(`${id}.`) && name.endsWith('.part')) {
        await rm(join(directory, name), { force: true });
      }
    }
  },
};
