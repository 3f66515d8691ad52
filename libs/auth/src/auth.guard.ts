import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import type { Environment } from '@einlass/config';
import { ApiToken, Role } from './api-token.entity';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import { hashToken, mayActOnEvent, Principal, sameSecret } from './principal';

/** How long a token lookup is remembered; revocation takes effect within this time. */
const CACHE_MS = 2000;

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
  principal?: Principal;
}

/**
 * Bearer tokens: 401 without a valid one, 403 when its role or its events do not allow the route.
 * Registered globally, so every route is protected unless marked @Public().
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly cache = new Map<string, { principal: Principal | null; until: number }>();
  private readonly organiserToken?: string;

  constructor(
    private readonly reflector: Reflector,
    @InjectDataSource() private readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    this.organiserToken = config.get('ORGANISER_TOKEN', { infer: true });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const token = bearerToken(request.headers.authorization);
    if (!token) throw new UnauthorizedException('Missing "Authorization: Bearer <token>" header');
    const principal = await this.resolve(token);
    if (!principal) throw new UnauthorizedException('Unknown or revoked token');
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [
      'organiser',
    ];
    if (!allowed.includes(principal.role)) {
      throw new ForbiddenException(`A ${principal.role} token may not do this`);
    }
    const slug = request.params?.slug;
    if (slug !== undefined && !mayActOnEvent(principal, slug)) {
      throw new ForbiddenException(`This token is not valid for event "${slug}"`);
    }
    request.principal = principal;
    return true;
  }

  private async resolve(token: string): Promise<Principal | null> {
    if (this.organiserToken && sameSecret(token, this.organiserToken)) {
      return { tokenId: null, role: 'organiser', label: 'ORGANISER_TOKEN', gates: [], events: [] };
    }
    const hash = hashToken(token);
    const cached = this.cache.get(hash);
    if (cached && cached.until > Date.now()) return cached.principal;
    const row = await this.dataSource
      .getRepository(ApiToken)
      .findOne({ where: { hash, revokedAt: IsNull() } });
    const principal: Principal | null = row
      ? { tokenId: row.id, role: row.role, label: row.label, gates: row.gates, events: row.events }
      : null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { principal, until: Date.now() + CACHE_MS });
    return principal;
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
