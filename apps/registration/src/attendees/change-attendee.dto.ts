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
  @Matches(/^[^\s:]{1,64}$/, { message: 'externalId must be 1 to 64 characters without spaces' })
  externalId?: string | null;

  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  title?: string | null;

  @ValidateIf((_, value) => value !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'firstName must not be empty' })
  @MaxLength(100)
  firstName?: string;

  @ValidateIf((_, value) => value !== undefined)
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'lastName must not be empty' })
  @MaxLength(100)
  lastName?: string;

  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string | null;

  @ValidateIf((_, value) => value !== null)
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  organisation?: string | null;

  @ValidateIf((_, value) => value !== undefined)
  @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` })
  category?: Category;

  @ValidateIf((_, value) => value !== undefined)
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  sessions?: string[];
}
