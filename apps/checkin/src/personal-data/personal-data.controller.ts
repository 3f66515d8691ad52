import { Controller, Get, NotFoundException, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
import { DataSource } from 'typeorm';
import { CheckinEvent } from '../read-model/read-model.entities';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/**
 * Check-in's part of a person's personal-data document (Art. 15 GDPR), which registration
 * gathers with the caller's token (organisers only, the token's events checked here too): what
 * the door shows of them, every scan of their badge, and the lists they were admitted to.
 */
@Controller('api/events/:slug/attendees/:id/personal-data')
export class CheckinPersonalDataController {
  constructor(private readonly dataSource: DataSource) {}

  @ApiOkResponse({ schema: answer('PersonalDataPart') })
  @Get()
  async part(@Param('slug') slug: string, @Param('id', uuid) id: string) {
    const event = await this.dataSource.getRepository(CheckinEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    const [door] = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT title, first_name AS "firstName", last_name AS "lastName", organisation,
              external_id AS "externalId", category, sessions, status, badge_version AS "badgeVersion",
              erased_at AS "erasedAt"
         FROM attendees WHERE id = $1 AND event_id = $2`,
      [id, event.id],
    );
    if (!door) throw new NotFoundException(`Check-in holds nothing about ${id} in "${slug}"`);
    const scans = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT coalesce(scanned_at, recorded_at) AS at, recorded_at AS "recordedAt", gate, list,
              direction, device, badge_version AS "badgeVersion", result, message, flag
         FROM scans WHERE event_id = $1 AND attendee_id = $2 ORDER BY id`,
      [event.id, id],
    );
    const presence = await this.dataSource.query<Record<string, unknown>[]>(
      `SELECT list, first_admitted_at AS "firstAdmittedAt", first_gate AS "firstGate", inside,
              last_change_at AS "lastChangeAt"
         FROM presence WHERE event_id = $1 AND attendee_id = $2 ORDER BY list`,
      [event.id, id],
    );
    return { door, scans, presence };
  }
}
