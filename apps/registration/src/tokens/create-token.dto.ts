import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
} from 'class-validator';
import { ROLES, type Role } from '@einlass/auth';

export class CreateTokenDto {
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role!: Role;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  label!: string;

  /** Gates a door or desk token may scan at; none means all. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^[\p{L}\p{N} _.-]{1,64}$/u, { each: true, message: 'each gate must be a short name' })
  gates?: string[];

  /** Event slugs the token is for; none means all (a desk token must name them). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  events?: string[];

  /** When the token stops working (ISO 8601, in the future); none: until revoked. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expiresAt must be an ISO 8601 date and time' })
  expiresAt?: string;
}
