/**
 * The route suite's environment, set before any Nest module is imported (ConfigModule reads the
 * environment on import): registration on a port of this run, so badges and check-in confirm
 * tokens with it, and no limit on failed sign-ins (the suite makes hundreds; the limit has a test
 * of its own).
 */
export const ROUTE_SUITE_REGISTRATION_PORT = 41000 + (process.pid % 9000);

Object.assign(process.env, {
  REGISTRATION_URL: `http://127.0.0.1:${ROUTE_SUITE_REGISTRATION_PORT}`,
  AUTH_FAILURE_BURST: '1000000',
  SEARCH_BURST: '100000',
});
