import { BadRequestException, ForbiddenException, NotFoundException } from '@nestjs/common';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource, IsNull } from 'typeorm';
import { ApiToken, hashToken, mayManageToken, type Principal, refusalToIssue } from '@einlass/auth';
import { apiTokenCreated, apiTokenRevoked } from '../published-events';
import { CreateTokenDto } from './create-token.dto';

export interface IssuedToken {
  token: string;
  record: ApiToken;
}

/**
 * Issues an API token for `issuer`, never wider than the issuer's own (access.ts). The token is
 * returned this once; only its hash is kept.
 */
export class CreateApiToken extends Command<IssuedToken> {
  constructor(
    readonly input: CreateTokenDto,
    readonly issuer: Principal,
  ) {
    super();
  }
}

/** Revokes a token the caller may manage; any other is a 404, as if it did not exist. */
export class RevokeApiToken extends Command<ApiToken> {
  constructor(
    readonly id: string,
    readonly caller: Principal,
  ) {
    super();
  }
}

@CommandHandler(CreateApiToken)
export class CreateApiTokenHandler implements ICommandHandler<CreateApiToken, IssuedToken> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ input, issuer }: CreateApiToken): Promise<IssuedToken> {
    const scope = {
      role: input.role,
      gates: [...new Set(input.gates ?? [])],
      events: [...new Set(input.events ?? [])],
    };
    if (scope.role === 'desk' && scope.events.length === 0) {
      throw new BadRequestException(['events: a desk token must name the event(s) of its desk']);
    }
    const refusal = refusalToIssue(issuer, scope);
    if (refusal) throw new ForbiddenException(refusal);
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new BadRequestException(['expiresAt must lie in the future']);
    }
    const prefix = { organiser: 'org', door: 'door', desk: 'desk' }[input.role];
    const token = `ein_${prefix}_${randomBytes(24).toString('base64url')}`;
    const record = await this.dataSource.transaction(async (manager) => {
      const row = manager.create(ApiToken, {
        id: randomUUID(),
        hash: hashToken(token),
        role: input.role,
        label: input.label.trim(),
        gates: scope.gates,
        events: scope.events,
        revokedAt: null,
        expiresAt,
      });
      await manager.insert(ApiToken, row);
      // The other services learn the hash, so the token works there too.
      await apiTokenCreated(manager, row);
      return row;
    });
    return { token, record };
  }
}

@CommandHandler(RevokeApiToken)
export class RevokeApiTokenHandler implements ICommandHandler<RevokeApiToken, ApiToken> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ id, caller }: RevokeApiToken): Promise<ApiToken> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.findOneBy(ApiToken, { id, revokedAt: IsNull() });
      if (!row || !mayManageToken(caller, row))
        throw new NotFoundException(`No active token ${id}`);
      row.revokedAt = new Date();
      await manager.save(row);
      await apiTokenRevoked(manager, id);
      return row;
    });
  }
}
