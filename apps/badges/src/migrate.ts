import { runMigrateCommand } from '@einlass/database';
import { badgesDatabase } from './badges.database';

runMigrateCommand(badgesDatabase);
