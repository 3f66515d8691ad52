import { createParamDecorator, ExecutionContext, SetMetadata, type Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from './api-token.entity';
import type { Principal } from './principal';

export const ROLES_KEY = 'einlass:roles';
export const PUBLIC_KEY = 'einlass:public';
export const UNLIMITED_KEY = 'einlass:unlimited';

/**
 * Roles allowed on a route or controller. Routes without it are for organisers only: a door token
 * must be let in explicitly, route by route. A route open to `door` is open to `desk` too
 * (access.ts, roleMayUse).
 */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/**
 * Only an organiser token for every event (no events named) may use the route: managing events
 * (access.ts).
 */
export const UnlimitedOnly = () => SetMetadata(UNLIMITED_KEY, true);

/** No token needed (health, web pages). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Who may use a route, as its decorators (on the handler, else its controller) say. */
export interface RouteAccess {
  /** No token needed. */
  public: boolean;
  /** The roles let in (`door` lets `desk` in too: access.ts, roleMayUse); organiser by default. */
  roles: Role[];
  /** Only an organiser token for every event. */
  unlimitedOnly: boolean;
}

/** The one reading of @Public, @Roles and @UnlimitedOnly: the AuthGuard's, and the API document's. */
export function routeAccess(
  handler: ReturnType<ExecutionContext['getHandler']>,
  controller: Type<unknown>,
  reflector: Reflector = new Reflector(),
): RouteAccess {
  const targets = [handler, controller];
  return {
    public: reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets) ?? false,
    roles: reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? ['organiser'],
    unlimitedOnly:
      reflector.getAllAndOverride<boolean | undefined>(UNLIMITED_KEY, targets) ?? false,
  };
}

/** The caller, as resolved by the AuthGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
