/**
 * What tests and benchmarks outside this service may use of it (the lint rule in
 * eslint.config.mjs allows nothing else): the module and its HTTP set-up, to run it in-process;
 * its schema; and the sample congress.
 */
export { RegistrationModule } from './src/registration.module';
export { configureRegistrationApp, XLSX_CONTENT_TYPE } from './src/configure-app';
export { registrationDatabase } from './src/registration.database';
export { SAMPLE_EVENT, sampleAttendees, sampleProgrammeCsv } from './src/sample/sample-congress';
