import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { LOGO_BODY_LIMIT } from './branding/logo-image';
import { LOGO_TYPES } from './branding/event-branding.entity';

/** What the badges service's HTTP server needs beyond the shared set-up: logo uploads. */
export function configureBadgesApp(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(
      [...LOGO_TYPES],
      { parseAs: 'buffer', bodyLimit: LOGO_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
}
