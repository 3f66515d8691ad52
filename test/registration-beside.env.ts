/**
 * For test files that run registration in-process beside badges or check-in, imported FIRST (before
 * any Nest module: ConfigModule reads the environment on import): registration on a port of this
 * run, so the other services confirm tokens with it, and no limit on failed sign-ins or searches
 * (such suites make hundreds; the limits have tests of their own). The reconciliation runs at
 * start-up only: these suites write registration's tables behind the queue's back on purpose (a
 * revocation with no message) and check what the services do without the message; a periodic
 * round would repair it first (it has tests of its own). setup-env.ts resets all three for the
 * next test file.
 */
export const REGISTRATION_BESIDE_PORT = 41000 + (process.pid % 9000);

Object.assign(process.env, {
  REGISTRATION_URL: `http://127.0.0.1:${REGISTRATION_BESIDE_PORT}`,
  AUTH_FAILURE_BURST: '1000000',
  SEARCH_BURST: '100000',
  RECONCILE_EVERY_MS: '86400000',
});
