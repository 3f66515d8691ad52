import { runMigrateCommand } from '@einlass/database';
import { registrationDatabase } from './registration.database';

runMigrateCommand(registrationDatabase);
