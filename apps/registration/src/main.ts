import { startService } from '@einlass/bootstrap';
import { RegistrationModule } from './registration.module';

void startService(RegistrationModule, 'REGISTRATION_PORT', (app) => {
  // Programmes and attendee lists arrive as CSV; they may be far larger than a JSON body.
  app
    .getHttpAdapter()
    .getInstance()
    .addContentTypeParser(
      ['text/csv', 'application/csv', 'text/plain'],
      { parseAs: 'buffer', bodyLimit: 50 * 1024 * 1024 },
      (_request, body, done) => done(null, body),
    );
});
