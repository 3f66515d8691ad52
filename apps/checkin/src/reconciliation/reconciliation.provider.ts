import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Environment } from '@einlass/config';
import { QueueName } from '@einlass/contracts';
import { Reconciliation } from '@einlass/outbox';
import { consumedApiTokens } from '@einlass/auth';
import {
  consumedAttendees,
  consumedBadges,
  consumedRetiredKeys,
  producedDoorPassages,
  producedDoorSettings,
} from './checkin.streams';

/** The streams checkin produces and consumes, kept level by the reconciliation (README, "Nothing is lost"). */
export const reconciliationProvider: Provider = {
  provide: Reconciliation,
  inject: [getDataSourceToken(), ConfigService],
  useFactory: (dataSource: DataSource, config: ConfigService<Environment, true>) =>
    new Reconciliation(
      dataSource,
      config,
      QueueName.Checkin,
      [producedDoorPassages, producedDoorSettings],
      [consumedAttendees, consumedBadges, consumedRetiredKeys, consumedApiTokens],
    ),
};
