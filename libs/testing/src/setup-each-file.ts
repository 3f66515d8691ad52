import { Socket } from 'node:net';
import { emptyServiceTables } from './fresh-database';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './test-env';
import { removeEarlierFilesQueues } from './test-queues';

/** The test PostgreSQL's and Redis's ports (keep-alive sockets to a stopped service close by themselves). */
const STORE_PORTS = new Set(
  [
    [TEST_DATABASE_URL, 5432],
    [TEST_REDIS_URL, 6379],
  ].map(([url, fallback]) => Number(new URL(String(url)).port || fallback)),
);

/**
 * Kept on node:net's Socket class, which the test files of an in-band run share (each file has
 * its own globals, `process` included; core modules are the one copy).
 */
const shared = Socket as unknown as {
  einlassSocketsSeen?: WeakSet<Socket>;
  einlassLastTestFile?: string;
};

/**
 * Sockets to PostgreSQL or Redis still open when a file has started were left open by the file
 * before it (jest runs in band, so nothing else has run since): each is named once, with that
 * file, so a leak that would keep the run alive at its end (see global-teardown) points at its
 * test.
 */
function reportSocketsLeftByEarlierFile(): void {
  const seen = (shared.einlassSocketsSeen ??= new WeakSet());
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  for (const handle of handles) {
    if (!(handle instanceof Socket) || seen.has(handle)) continue;
    seen.add(handle);
    if (handle.remotePort === undefined || !STORE_PORTS.has(handle.remotePort)) continue;
    process.stderr.write(
      `${shared.einlassLastTestFile ?? 'a test file'} left a socket open to ` +
        `${handle.remoteAddress}:${handle.remotePort}\n`,
    );
  }
  shared.einlassLastTestFile = expect.getState().testPath;
}

// Each test file starts from empty tables and without the queues of the files before it (jest
// runs the files one after another, in band).
beforeAll(async () => {
  await Promise.all([emptyServiceTables(), removeEarlierFilesQueues()]);
  // after that work, so that sockets the file before was still closing have closed
  reportSocketsLeftByEarlierFile();
}, 30_000);
