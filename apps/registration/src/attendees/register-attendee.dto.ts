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

/** Trims text fields before they are validated (cells and forms carry stray spaces). */
export const trim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value;

export class RegisterAttendeeDto {
  @IsOptional()
  @Transform(trim)
  @IsString()
  @Matches(/^[^\s:]{1,64}$/, { message: 'externalId must be 1 to 64 characters without spaces' })
  externalId?: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(50)
  title?: string;

  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'firstName must not be empty' })
  @MaxLength(100)
  firstName!: string;

  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'lastName must not be empty' })
  @MaxLength(100)
  lastName!: string;

  @IsOptional()
  @Transform(trim)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;

  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  organisation?: string;

  @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` })
  category!: Category;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  sessions?: string[];
}
