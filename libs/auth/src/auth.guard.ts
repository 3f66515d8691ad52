import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import type { Environment } from '@einlass/config';
import { assertMayActOnEvent, isUnlimited, roleMayUse } from './access';
import { routeAccess, type RouteAccess } from './auth.decorators';
import type { Principal } from './principal';
import { TokenBuckets } from './rate-limit';
import { TokenResolver } from './token-resolver';

export interface RequestToAuthorize {
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, string | undefined>;
  ip?: string;
  principal?: Principal;
  bearerToken?: string;
}

/** 429 with Retry-After, in the contract's error shape. */
export class TooManyRequests extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(
      { statusCode: 429, error: 'Too Many Requests', message, retryAfter: retryAfterSeconds },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

/**
 * Bearer tokens: 401 without a valid one, 403 when its role or its events do not allow the route
 * (the access model: access.ts). Registered globally, so every route is protected unless marked
 * @Public(). Failed sign-ins are limited per client address: beyond AUTH_FAILURE_BURST (refilled
 * at AUTH_FAILURE_RATE_PER_MINUTE) the address is answered 429 before any token is looked up.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly failures: TokenBuckets;

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenResolver,
    config: ConfigService<Environment, true>,
  ) {
    this.failures = new TokenBuckets(
      config.get('AUTH_FAILURE_RATE_PER_MINUTE', { infer: true }) / 60,
      config.get('AUTH_FAILURE_BURST', { infer: true }),
    );
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = routeAccess(context.getHandler(), context.getClass(), this.reflector);
    if (access.public) return true;
    await this.authorize(context.switchToHttp().getRequest<RequestToAuthorize>(), access);
    return true;
  }

  /**
   * The checks of a route that is not public: sets the request's principal and bearer token, or
   * throws the answer (429, 401, 403). Also for a route answered ahead of Nest's router
   * (FastRoute), so that both check alike.
   */
  async authorize(
    request: RequestToAuthorize,
    access: Omit<RouteAccess, 'public'>,
  ): Promise<Principal> {
    const address = request.ip ?? 'unknown';
    const wait = this.failures.wait(address);
    if (wait > 0) {
      throw new TooManyRequests(
        'Too many failed sign-ins from this address; try again later',
        wait,
      );
    }
    const token = bearerToken(request.headers.authorization);
    if (!token) {
      this.failures.take(address);
      throw new UnauthorizedException('Missing "Authorization: Bearer <token>" header');
    }
    const principal = await this.tokens.resolve(token, request.ip);
    if (!principal) {
      this.failures.take(address);
      throw new UnauthorizedException('Unknown, revoked or expired token');
    }
    if (!roleMayUse(access.roles, principal.role)) {
      throw new ForbiddenException(`A ${principal.role} token may not do this`);
    }
    if (access.unlimitedOnly && !isUnlimited(principal)) {
      throw new ForbiddenException(
        'Only an organiser token for every event may do this; this token is limited to some events',
      );
    }
    const slug = request.params?.slug;
    if (slug !== undefined) assertMayActOnEvent(principal, slug);
    request.principal = principal;
    request.bearerToken = token;
    return principal;
  }
}

function bearerToken(header: string | string[] | undefined): string | undefined {
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
