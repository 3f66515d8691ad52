import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { CATEGORIES, Category } from '@einlass/contracts';
import {
  ATTENDEE_MAX_LENGTHS,
  EXTERNAL_ID_MESSAGE,
  EXTERNAL_ID_PATTERN,
  MAX_SESSIONS_PER_ATTENDEE,
} from './attendee-limits';
import { trim } from './register-attendee.dto';

/**
 * A change to an attendee: only the fields sent change. `null` clears an optional field (and is
 * refused for names, category and sessions, which cannot be empty);
 * `sessions` replaces the attendee's sign-ups (places and waiting positions they keep are kept).
 */
export class ChangeAttendeeDto {
  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(EXTERNAL_ID_PATTERN, { message: EXTERNAL_ID_MESSAGE })
  externalId?: string | null;

  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(ATTENDEE_MAX_LENGTHS.title)
  title?: string | null;

  @ValidateIf((_, value) => value !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'firstName must not be empty' })
  @MaxLength(ATTENDEE_MAX_LENGTHS.firstName)
  firstName?: string;

  @ValidateIf((_, value) => value !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'lastName must not be empty' })
  @MaxLength(ATTENDEE_MAX_LENGTHS.lastName)
  lastName?: string;

  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(ATTENDEE_MAX_LENGTHS.email)
  email?: string | null;

  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(ATTENDEE_MAX_LENGTHS.organisation)
  organisation?: string | null;

  @ValidateIf((_, value) => value !== undefined)
  @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` })
  category?: Category;

  @ValidateIf((_, value) => value !== undefined)
  @IsArray()
  @ArrayMaxSize(MAX_SESSIONS_PER_ATTENDEE)
  @IsString({ each: true })
  sessions?: string[];
}
