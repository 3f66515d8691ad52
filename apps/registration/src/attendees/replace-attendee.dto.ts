import { IsIn, IsOptional } from 'class-validator';
import { CATEGORIES, Category } from '@einlass/contracts';
import { PersonDto } from './register-attendee.dto';

/**
 * The substitute who takes over a registration (`POST …/attendees/:id/replacement`): their own
 * fields; the category is the replaced person's unless given. Workshop places are not chosen: the
 * substitute takes over the replaced person's.
 */
export class ReplaceAttendeeDto extends PersonDto {
  @IsOptional()
  @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` })
  category?: Category;
}
