import { Controller, Get, Param } from '@nestjs/common';
import { CheckinEvents } from '../scanning/checkin-events';
import { AttendanceQuery } from './attendance.query';

@Controller('api/events/:slug/attendance')
export class AttendanceController {
  constructor(
    private readonly events: CheckinEvents,
    private readonly attendance: AttendanceQuery,
  ) {}

  @Get()
  async get(@Param('slug') slug: string) {
    const event = await this.events.bySlugOrFail(slug);
    return this.attendance.forEvent(event.id);
  }
}
