import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';
import { answer, answers } from '@einlass/contracts';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource, IsNull } from 'typeorm';
import {
  ApiToken,
  AuditAction,
  AuditTrail,
  CurrentPrincipal,
  mayManageToken,
  type Principal,
} from '@einlass/auth';
import { CreateTokenDto } from './create-token.dto';
import { CreateApiToken, RevokeApiToken } from './tokens.commands';

const view = (row: ApiToken) => ({
  id: row.id,
  role: row.role,
  label: row.label,
  gates: row.gates,
  events: row.events,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
  expiresAt: row.expiresAt?.toISOString() ?? null,
});

/**
 * API tokens (organisers only). An organiser token limited to events issues, sees and revokes only
 * tokens inside its events (access.ts); an unlimited one, every token.
 */
@Controller('api/tokens')
export class TokensController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly dataSource: DataSource,
  ) {}

  @ApiCreatedResponse({ schema: answer('IssuedToken') })
  @Post()
  @HttpCode(201)
  async create(@Body() body: CreateTokenDto, @CurrentPrincipal() principal: Principal) {
    const { token, record } = await this.commandBus.execute(new CreateApiToken(body, principal));
    await this.audit(principal, 'token.issued', record);
    return { ...view(record), token };
  }

  @ApiOkResponse({ schema: answers('Token') })
  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    const rows = await this.dataSource
      .getRepository(ApiToken)
      .find({ where: { revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
    return rows.filter((row) => mayManageToken(principal, row)).map(view);
  }

  @ApiOkResponse({ schema: answer('Token') })
  @Delete(':id')
  @HttpCode(200)
  async revoke(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 404 })) id: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const record = await this.commandBus.execute(new RevokeApiToken(id, principal));
    await this.audit(principal, 'token.revoked', record);
    return view(record);
  }

  /** One entry about every event (a token without event limits) or one per event it names. */
  private async audit(principal: Principal, action: AuditAction, record: ApiToken) {
    const details = {
      tokenId: record.id,
      tokenLabel: record.label,
      role: record.role,
      events: record.events,
    };
    const events =
      record.events.length === 0
        ? [null]
        : (
            await this.dataSource.query<{ id: string }[]>(
              `SELECT id FROM events WHERE slug = ANY($1::text[])`,
              [record.events],
            )
          ).map((row) => row.id);
    await this.dataSource.transaction(async (manager) => {
      for (const eventId of events) {
        await AuditTrail.record(manager, 'registration', principal, { eventId, action, details });
      }
    });
  }
}
