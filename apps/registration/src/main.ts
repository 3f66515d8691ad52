import { startService } from '@einlass/bootstrap';
import { configureRegistrationApp } from './configure-app';
import { RegistrationModule } from './registration.module';

void startService(RegistrationModule, 'REGISTRATION_PORT', configureRegistrationApp);
