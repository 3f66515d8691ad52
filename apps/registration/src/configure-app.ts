import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Imports may be far larger than a JSON body (API.md: 50 MB). */
export const CSV_BODY_LIMIT = 50 * 1024 * 1024;

/** What the registration service's HTTP server needs beyond the shared set-up: CSV bodies. */
export function configureRegistrationApp(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(
      ['text/csv', 'application/csv'],
      { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
}
