import { serviceEnv } from './test-env';

// Before any test file imports a Nest module: ConfigModule validates the environment on import.
// No registration runs beside a service started in-process on its own: badges and check-in then
// decide tokens from their own copy, as when registration is unreachable (a closed port answers
// at once), and never ask whatever answers on the default port.
Object.assign(process.env, serviceEnv({ REGISTRATION_URL: 'http://127.0.0.1:9' }));
// Limits a test file may have lifted for itself (jest runs the files in one process).
for (const name of [
  'AUTH_FAILURE_BURST',
  'SEARCH_BURST',
  'MAX_STREAMS_PER_TOKEN',
  'RECONCILE_EVERY_MS',
]) {
  delete process.env[name];
}
