import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
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

/** The caller, as resolved by the AuthGuard. */
export const CurrentPrincipal = createParamDecorator(
  (_: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<{ principal: Principal }>().principal,
);
