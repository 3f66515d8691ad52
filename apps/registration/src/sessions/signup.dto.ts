import { IsUUID } from 'class-validator';

export class SignupDto {
  @IsUUID(undefined, { message: 'attendeeId must be an attendee id' })
  attendeeId!: string;
}
