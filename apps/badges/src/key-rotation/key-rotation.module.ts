import { Module } from '@nestjs/common';
import { PrintJobsModule } from '../print-jobs/print-jobs.module';
import { KeyRotationController } from './key-rotation.controller';
import {
  ReissueRetiredKeyBadgesHandler,
  RetireSigningKeyHandler,
  RotateSigningKeyHandler,
} from './signing-key-commands';

/**
 * Replacing a leaked signing key: rotate to a new key, retire the old one (check-in then refuses
 * its badges), and re-issue and print the affected badges in one go (with the print-jobs module).
 */
@Module({
  imports: [PrintJobsModule],
  controllers: [KeyRotationController],
  providers: [RotateSigningKeyHandler, RetireSigningKeyHandler, ReissueRetiredKeyBadgesHandler],
})
export class KeyRotationModule {}
