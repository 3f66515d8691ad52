import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { CurrentPrincipal, SearchRateGuard, type Principal } from '@einlass/auth';
import { answer, CATEGORIES, type Category } from '@einlass/contracts';
import { CheckinEvents } from '../scanning/checkin-events';
import { AttendanceQuery } from './attendance.query';
import { ForecastQuery } from './forecast/forecast.query';
import { NotArrivedQuery } from './not-arrived.query';

export class NotArrivedDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;

  @IsOptional()
  @IsIn(CATEGORIES, { message: `category must be one of ${CATEGORIES.join(', ')}` })
  category?: Category;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @IsOptional()
  @IsString()
  @MaxLength(2000)
  cursor?: string;
}

@Controller('api/events/:slug/attendance')
export class AttendanceController {
  constructor(
    private readonly events: CheckinEvents,
    private readonly attendance: AttendanceQuery,
    private readonly notArrived: NotArrivedQuery,
    private readonly forecasts: ForecastQuery,
  ) {}

  @ApiOkResponse({ schema: answer('Attendance') })
  @Get()
  async get(@Param('slug') slug: string) {
    const event = await this.events.bySlugOrFail(slug);
    return this.attendance.forEvent(event.id);
  }

  /**
   * Expected arrivals in the next 15, 30 and 60 minutes with a range, the queue to expect per gate
   * and whether to open more lanes (organisers only; docs/API.md).
   */
  @ApiOkResponse({ schema: answer('ArrivalForecast') })
  @Get('forecast')
  async forecast(@Param('slug') slug: string, @CurrentPrincipal() principal: Principal) {
    const event = await this.events.bySlugOrFail(slug);
    return this.forecasts.forEvent(event, principal);
  }

  /** Registered people never admitted at the entrance, by last name (organisers only). */
  @ApiOkResponse({ schema: answer('NotArrivedPage') })
  @Get('not-arrived')
  @UseGuards(SearchRateGuard)
  async notYetArrived(@Param('slug') slug: string, @Query() query: NotArrivedDto) {
    const event = await this.events.bySlugOrFail(slug);
    return this.notArrived.page({
      eventId: event.id,
      q: query.q,
      category: query.category,
      limit: query.limit ?? 50,
      cursor: query.cursor,
    });
  }
}
