import { readdirSync, readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { removeTestQueues } from './test-queues';

/**
 * Once after a test run: removes the queues the run's services used (every test file has its own
 * prefix, see test-env), so the test Redis does not grow with every run; then says what a test
 * left running. Jest runs in band (scripts/test.sh), so a socket, timer or child process a test
 * did not close keeps this very process alive: the run would hang after "Ran all test suites"
 * (it did once in CI, until CI's time limit). scripts/test.sh passes --forceExit so a leak cannot stall
 * CI; this report names the leak so it gets fixed.
 */
export default async function globalTeardown(): Promise<void> {
  await removeTestQueues();
  // sockets closed a moment ago (this teardown's own, the last file's) finish closing first
  await new Promise((resolve) => setTimeout(resolve, 500));
  reportLeftovers();
}

/** Child processes of this process still running: a service, Redis or browser a test left behind. */
function childProcesses(): { pid: number; command: string }[] {
  const children: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ')'
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent !== process.pid) continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      children.push({ pid: Number(entry), command });
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

function reportLeftovers(): void {
  const children = childProcesses();
  for (const child of children) {
    process.stderr.write(`test run left a process running: ${child.pid} ${child.command}\n`);
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  // What the event loop still waits on (besides this teardown's own work, which has ended).
  const resources = process
    .getActiveResourcesInfo()
    .filter((resource) => !['TTYWrap', 'PipeWrap', 'FSReqCallback'].includes(resource));
  if (resources.length > 0) {
    const counts = new Map<string, number>();
    for (const resource of resources) counts.set(resource, (counts.get(resource) ?? 0) + 1);
    const list = [...counts].map(([type, count]) => `${type} x${count}`).join(', ');
    process.stderr.write(`test run left open: ${list} (npx jest --detectOpenHandles names them)\n`);
  }
  // Sockets say where they lead: 5432 a PostgreSQL client, 6379 a Redis client, else a service.
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  for (const handle of handles) {
    if (!(handle instanceof Socket) || handle.remotePort === undefined) continue;
    process.stderr.write(
      `test run left a socket open: to ${handle.remoteAddress}:${handle.remotePort} from port ${handle.localPort}\n`,
    );
  }
}
