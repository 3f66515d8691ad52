import { startService } from '@einlass/bootstrap';
import { BadgesModule } from './badges.module';

void startService(BadgesModule, 'BADGES_PORT');
