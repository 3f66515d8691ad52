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
} from 'class-validator';
import { CATEGORIES, Category } from '@einlass/contracts';
import {
  ATTENDEE_MAX_LENGTHS,
  EXTERNAL_ID_MESSAGE,
  EXTERNAL_ID_PATTERN,
  MAX_SESSIONS_PER_ATTENDEE,
} from './attendee-limits';

/** Trims text fields before they are validated (cells and forms carry stray spaces). */
export const trim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

/** A person's own fields, as a registration and a substitute's registration both take them. */
export class PersonDto {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(ATTENDEE_MAX_LENGTHS.title)
  title?: string;

  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'firstName must not be empty' })
  @MaxLength(ATTENDEE_MAX_LENGTHS.firstName)
  firstName!: string;

  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'lastName must not be empty' })
  @MaxLength(ATTENDEE_MAX_LENGTHS.lastName)
  lastName!: string;

  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(ATTENDEE_MAX_LENGTHS.email)
  email?: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(ATTENDEE_MAX_LENGTHS.organisation)
  organisation?: string;
}

export class RegisterAttendeeDto extends PersonDto {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(EXTERNAL_ID_PATTERN, { message: EXTERNAL_ID_MESSAGE })
  externalId?: string;

  @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` })
  category!: Category;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SESSIONS_PER_ATTENDEE)
  @IsString({ each: true })
  sessions?: string[];
}
