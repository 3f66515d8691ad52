import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { CATEGORIES, Category } from '@einlass/contracts';
import type { AttendeeStatus } from './attendee.entity';

export const ATTENDEE_STATUSES: readonly AttendeeStatus[] = ['registered', 'cancelled'];

export class ListAttendeesDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @IsOptional()
  @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` })
  category?: Category;

  @IsOptional()
  @IsIn(ATTENDEE_STATUSES, { message: `status must be one of ${ATTENDEE_STATUSES.join(', ')}` })
  status?: AttendeeStatus;

  /** A session code of the event; whether the event has it is the query's to say (a 400 naming it). */
  @IsOptional()
  @IsString()
  @IsNotEmpty({ message: 'session must be a session code of the event' })
  @MaxLength(32, { message: 'session must be a session code of the event (at most 32 characters)' })
  session?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}
