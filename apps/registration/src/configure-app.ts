import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** Imports may be far larger than a JSON body (API.md: 50 MB). */
export const CSV_BODY_LIMIT = 50 * 1024 * 1024;

/** The content type of Excel workbooks (.xlsx). */
export const XLSX_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** What the registration service's HTTP server needs beyond the shared set-up: list uploads. */
export function configureRegistrationApp(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(
      ['text/csv', 'application/csv', XLSX_CONTENT_TYPE],
      { parseAs: 'buffer', bodyLimit: CSV_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
}
