import {
  IsDateString,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

@ValidatorConstraint({ name: 'timezone' })
export class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    if (typeof value !== 'string' || value.length === 0) return false;
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      return true;
    } catch {
      return false;
    }
  }
  defaultMessage(): string {
    return 'timezone must be an IANA time zone such as Europe/Berlin';
  }
}

export class CreateEventDto {
  @IsString()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, {
    message: 'slug must be 1 to 64 lower-case letters, digits and inner hyphens',
  })
  slug!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  venue?: string;

  @IsDateString({ strict: true }, { message: 'startsAt must be an ISO 8601 date and time' })
  startsAt!: string;

  @IsDateString({ strict: true }, { message: 'endsAt must be an ISO 8601 date and time' })
  endsAt!: string;

  @Validate(IsTimeZone)
  timezone!: string;

  /** When every service erases the event's personal data; by default 90 days after endsAt. */
  @IsOptional()
  @IsDateString(
    { strict: true },
    { message: 'erasePersonalDataAt must be an ISO 8601 date and time' },
  )
  erasePersonalDataAt?: string;
}
