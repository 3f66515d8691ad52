import { startService } from '@einlass/bootstrap';
import { BadgesModule } from './badges.module';
import { configureBadgesApp } from './configure-app';

void startService(BadgesModule, 'BADGES_PORT', configureBadgesApp);
