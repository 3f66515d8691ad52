import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { DataSource } from 'typeorm';
import { Roles, SearchRateGuard } from '@einlass/auth';
import { foldName } from '@einlass/door-rules';
import { CheckinEvents } from '../scanning/checkin-events';

export class DoorLookupDto {
  @IsString()
  @MinLength(2)
  @MaxLength(100)
  q!: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'list must be main or a session code' })
  list?: string;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Name look-up for the scanner page when a steward meets someone whose badge is lost, from
 * check-in's own read model: name, organisation, category, status and whether they are inside.
 * Never an email. Door tokens may use it (they may look attendees up, API.md).
 */
@Controller('api/events/:slug/door-lookup')
export class DoorLookupController {
  constructor(
    private readonly events: CheckinEvents,
    private readonly dataSource: DataSource,
  ) {}

  @ApiOkResponse({ schema: answer('DoorLookup') })
  @Get()
  @Roles('organiser', 'door')
  @UseGuards(SearchRateGuard)
  async lookup(@Param('slug') slug: string, @Query() query: DoorLookupDto) {
    const event = await this.events.bySlugOrFail(slug);
    // What is typed is folded as the stored `search_text` is (title, names, organisation):
    // "francois lodz" finds "François Łódź", whatever the letters.
    const words = foldName(query.q).split(/\s+/).filter(Boolean).slice(0, 5);
    const conditions = words.map((_, i) => `a.search_text LIKE $${i + 3} ESCAPE '\\'`);
    const rows = await this.dataSource.query<
      {
        id: string;
        title: string | null;
        first_name: string;
        last_name: string;
        organisation: string | null;
        category: string;
        status: string;
        inside: boolean | null;
      }[]
    >(
      `SELECT a.id, a.title, a.first_name, a.last_name, a.organisation, a.category, a.status, p.inside
         FROM attendees a
         LEFT JOIN presence p ON p.event_id = a.event_id AND p.list = $2 AND p.attendee_id = a.id
        WHERE a.event_id = $1 ${conditions.map((c) => `AND ${c}`).join(' ')}
        ORDER BY a.last_name, a.first_name
        LIMIT 20`,
      [event.id, query.list ?? 'main', ...words.map((w) => `%${escapeLike(w)}%`)],
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        name: [r.title, r.first_name, r.last_name].filter(Boolean).join(' '),
        organisation: r.organisation,
        category: r.category,
        status: r.status,
        inside: r.inside ?? false,
      })),
    };
  }
}
