import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  NotFoundException,
  Param,
  Put,
  Res,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { answer, type Category, FILE_SCHEMA } from '@einlass/contracts';
import { CATEGORY_STYLES } from '../rendering/badge-design';
import { DataSource } from 'typeorm';
import { BadgeEvent } from '../events/badge-event.entity';
import { EventBranding, LOGO_TYPES, type LogoType } from './event-branding.entity';
import { logoProblem } from './logo-image';
import { storedColours, UpdateBrandingDto } from './update-branding.dto';

/** What the API shows of an event's branding: everything but the logo's bytes. */
export interface BrandingView {
  categoryColours: EventBranding['categoryColours'];
  labels: EventBranding['labels'];
  hasLogo: boolean;
  logoType: LogoType | null;
  logoBytes: number | null;
  updatedAt: string | null;
  /** The colour each category has when `categoryColours` does not set one. */
  defaultColours: Record<Category, string>;
}

const DEFAULT_COLOURS = Object.fromEntries(
  Object.entries(CATEGORY_STYLES).map(([category, style]) => [category, style.colour]),
) as Record<Category, string>;

/** An event's badge branding: category colours, label language, logo. Organisers only. */
@Controller('api/events/:slug/branding')
export class BrandingController {
  constructor(private readonly dataSource: DataSource) {}

  @ApiOkResponse({ schema: answer('Branding') })
  @Get()
  async get(@Param('slug') slug: string): Promise<BrandingView> {
    const event = await this.event(slug);
    return this.view(event.id);
  }

  @ApiOkResponse({ schema: answer('Branding') })
  @Put()
  async update(
    @Param('slug') slug: string,
    @Body() body: UpdateBrandingDto,
  ): Promise<BrandingView> {
    const event = await this.event(slug);
    const colours = body.categoryColours ? storedColours(body.categoryColours) : null;
    await this.dataSource.query(
      `INSERT INTO event_branding (event_id, category_colours, labels)
       VALUES ($1, COALESCE($2::jsonb, '{}'), COALESCE($3, 'de-en'))
       ON CONFLICT (event_id) DO UPDATE
          SET category_colours = COALESCE($2::jsonb, event_branding.category_colours),
              labels = COALESCE($3, event_branding.labels),
              updated_at = now()`,
      [event.id, colours && JSON.stringify(colours), body.labels ?? null],
    );
    return this.view(event.id);
  }

  /** The logo as the body, `image/png` or `image/jpeg`, up to 1 MB (configure-app.ts). */
  @ApiConsumes(...LOGO_TYPES)
  @ApiBody({ schema: FILE_SCHEMA })
  @ApiOkResponse({ schema: answer('Branding') })
  @Put('logo')
  async uploadLogo(
    @Param('slug') slug: string,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<BrandingView> {
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase() as LogoType;
    if (!LOGO_TYPES.includes(type) || !Buffer.isBuffer(body)) {
      throw new UnsupportedMediaTypeException(
        `Send the logo as ${LOGO_TYPES.join(' or ')}, the image itself as the body`,
      );
    }
    const event = await this.event(slug);
    const problem = logoProblem(body, type);
    if (problem) throw new BadRequestException(problem);
    await this.dataSource.query(
      `INSERT INTO event_branding (event_id, logo, logo_type) VALUES ($1, $2, $3)
       ON CONFLICT (event_id) DO UPDATE
          SET logo = EXCLUDED.logo, logo_type = EXCLUDED.logo_type, updated_at = now()`,
      [event.id, body, type],
    );
    return this.view(event.id);
  }

  /** The stored logo itself, for the organisers' pages to show; 404 when there is none. */
  @ApiProduces('image/png', 'image/jpeg')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Get('logo')
  async logo(@Param('slug') slug: string, @Res() reply: FastifyReply) {
    const event = await this.event(slug);
    const [row] = await this.dataSource.query<
      { logo: Buffer | null; logo_type: LogoType | null }[]
    >(`SELECT logo, logo_type FROM event_branding WHERE event_id = $1`, [event.id]);
    if (!row?.logo || !row.logo_type) throw new NotFoundException(`Event "${slug}" has no logo`);
    return reply
      .header('content-type', row.logo_type)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(row.logo);
  }

  @ApiOkResponse({ schema: answer('Branding') })
  @Delete('logo')
  async removeLogo(@Param('slug') slug: string): Promise<BrandingView> {
    const event = await this.event(slug);
    await this.dataSource.query(
      `UPDATE event_branding SET logo = NULL, logo_type = NULL, updated_at = now()
        WHERE event_id = $1 AND logo IS NOT NULL`,
      [event.id],
    );
    return this.view(event.id);
  }

  private async event(slug: string): Promise<BadgeEvent> {
    const event = await this.dataSource.getRepository(BadgeEvent).findOneBy({ slug });
    if (!event) throw new NotFoundException(`No event "${slug}"`);
    return event;
  }

  private async view(eventId: string): Promise<BrandingView> {
    const [row] = await this.dataSource.query<
      {
        category_colours: EventBranding['categoryColours'];
        labels: EventBranding['labels'];
        logo_type: LogoType | null;
        logo_bytes: number | null;
        updated_at: Date;
      }[]
    >(
      `SELECT category_colours, labels, logo_type, octet_length(logo) AS logo_bytes, updated_at
         FROM event_branding WHERE event_id = $1`,
      [eventId],
    );
    return {
      categoryColours: row?.category_colours ?? {},
      labels: row?.labels ?? 'de-en',
      hasLogo: row?.logo_type != null,
      logoType: row?.logo_type ?? null,
      logoBytes: row?.logo_bytes ?? null,
      updatedAt: row ? row.updated_at.toISOString() : null,
      defaultColours: DEFAULT_COLOURS,
    };
  }
}
