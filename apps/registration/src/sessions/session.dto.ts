import { Type } from 'class-transformer';
import {
  IsDateString,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { SESSION_KINDS, SessionKind } from './session.entity';

export class SessionDto {
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'code must be 1 to 32 letters, digits, "_" or "-"' })
  code!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  title!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  room?: string;

  @IsDateString({ strict: true }, { message: 'startsAt must be an ISO 8601 date and time' })
  startsAt!: string;

  @IsDateString({ strict: true }, { message: 'endsAt must be an ISO 8601 date and time' })
  endsAt!: string;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  capacity!: number;

  @IsIn(SESSION_KINDS, { message: `kind must be one of ${SESSION_KINDS.join(', ')}` })
  kind!: SessionKind;
}
