import { IsDateString, IsString, MaxLength } from 'class-validator';

/** PATCH /api/events/:slug */
export class ChangeEventDto {
  @IsDateString(
    { strict: true },
    { message: 'erasePersonalDataAt must be an ISO 8601 date and time' },
  )
  erasePersonalDataAt!: string;
}

/** POST /api/events/:slug/erase */
export class EraseEventDto {
  @IsString({ message: "confirm must be the event's slug, typed again" })
  @MaxLength(100)
  confirm!: string;
}
