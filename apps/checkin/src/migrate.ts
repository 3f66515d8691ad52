import { runMigrateCommand } from '@einlass/database';
import { checkinDatabase } from './checkin.database';

runMigrateCommand(checkinDatabase);
