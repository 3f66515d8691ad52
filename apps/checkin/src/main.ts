import { startService } from '@einlass/bootstrap';
import { CheckinModule } from './checkin.module';

void startService(CheckinModule, 'CHECKIN_PORT');
