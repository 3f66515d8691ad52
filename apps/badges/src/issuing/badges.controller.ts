import { AuditTrail, CurrentPrincipal, Principal, Roles } from '@einlass/auth';
import {
  ConflictException,
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  StreamableFile,
} from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { answer, FILE_SCHEMA } from '@einlass/contracts';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { DoorPrinting } from '../door-printing/door-printing';
import { BadgeEvent } from '../events/badge-event.entity';
import { badgeContent, loadBadgeBranding } from '../rendering/badge-content';
import { BadgeRenderer } from '../rendering/badge-renderer';
import { Badge } from './badge.entity';
import { ReissueBadge } from './reissue-badge.command';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 404 });

/** An attendee's badge: its QR text, and its PDF for printing one at the desk. */
@Controller('api/events/:slug/attendees/:id')
export class BadgesController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly renderer: BadgeRenderer,
    private readonly commandBus: CommandBus,
  ) {}

  /** The badge's state and QR text: organisers, and the registration desk waiting to print it. */
  @ApiOkResponse({ schema: answer('Badge') })
  @Get('badge')
  @Roles('organiser', 'desk')
  async badge(@Param('slug') slug: string, @Param('id', uuid) id: string) {
    const { badge } = await this.find(slug, id);
    if (!badge) return { status: 'pending', qr: null, version: null, issuedAt: null };
    return badgeView(badge);
  }

  /**
   * A lost badge: the next version; the lost one is refused at the door from then on. Organisers;
   * door (and desk) tokens where the event lets devices print (door settings `devicesMayPrint`).
   */
  @ApiOkResponse({ schema: answer('Badge') })
  @Post('badge/reissue')
  @HttpCode(200)
  @Roles('organiser', 'door')
  async reissue(
    @Param('slug') slug: string,
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const event = await this.event(slug);
    await DoorPrinting.assertMayPrint(this.dataSource, principal, event.id, ['door', 'desk']);
    const badge = await this.commandBus.execute(new ReissueBadge(slug, id, principal));
    await AuditTrail.recordAlone(this.dataSource, 'badges', principal, {
      eventId: badge.eventId,
      action: 'badge.reissued',
      attendeeId: badge.id,
      details: { version: badge.version },
    });
    return badgeView(badge);
  }

  /**
   * The badge as a PDF: organisers, the registration desk printing it, and door tokens where the
   * event lets devices print (door settings `devicesMayPrint`), for a badge they just re-issued.
   */
  @ApiProduces('application/pdf')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Get('badge.pdf')
  @Roles('organiser', 'desk', 'door')
  async pdf(
    @Param('slug') slug: string,
    @Param('id', uuid) id: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<StreamableFile> {
    const { event, badge } = await this.find(slug, id);
    await DoorPrinting.assertMayPrint(this.dataSource, principal, event.id, ['door']);
    if (!badge) throw new ConflictException('The badge is not issued yet; try again in a moment');
    if (badge.status === 'revoked') throw new ConflictException('This badge is revoked');
    await DoorPrinting.assertReissuedBy(this.dataSource, principal, badge);
    await AuditTrail.recordAlone(this.dataSource, 'badges', principal, {
      eventId: event.id,
      action: 'badge.downloaded',
      attendeeId: badge.id,
      details: { version: badge.version },
    });
    const branding = await loadBadgeBranding(this.dataSource.manager, event.id);
    const pdf = await this.renderer.renderBadge(badgeContent(event, badge, branding));
    const name = `badge-${badge.attendee.lastName}-${badge.attendee.firstName}.pdf`
      .normalize('NFKD')
      .replace(/[^\w.-]+/g, '_');
    return new StreamableFile(pdf, {
      type: 'application/pdf',
      disposition: `inline; filename="${name}"`,
      length: pdf.length,
    });
  }

  private async event(slug: string): Promise<BadgeEvent> {
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    return event;
  }

  private async find(
    slug: string,
    id: string,
  ): Promise<{ event: BadgeEvent; badge: Badge | null }> {
    const event = await this.event(slug);
    const badge = await this.dataSource.getRepository(Badge).findOneBy({ id, eventId: event.id });
    return { event, badge };
  }
}

const badgeView = (badge: Badge) => ({
  status: badge.status,
  qr: badge.qr,
  version: badge.version,
  issuedAt: badge.issuedAt.toISOString(),
  /** When the holder's data was erased: the badge is revoked for good. */
  erasedAt: badge.erasedAt?.toISOString() ?? null,
});
