import { ForbiddenException, NotFoundException } from '@nestjs/common';
import type { Role } from './api-token.entity';
import type { Principal } from './principal';

/**
 * The access model, in one place (docs/API.md, "Access"):
 *
 * - A token has a role (`organiser`, `door` or `desk`), the events it is for (none named: every
 *   event; a desk token must name them) and, for door and desk tokens, the gates it may scan at
 *   (none named: every gate). A desk token may do what a door token may, and register walk-ins and
 *   print badges (routes that name `desk`).
 * - An organiser token limited to events does everything an organiser does inside those events and
 *   nothing outside them. Only an unlimited organiser token (no events named) manages events and
 *   tokens for every event.
 * - A resource reached by its id (a print job, an attendee, a token) belongs to an event; a token
 *   outside that event is answered 404, as if the resource did not exist.
 *
 * Routes say what they need with the decorators of auth.decorators.ts (@Roles, @UnlimitedOnly,
 * @Public); the AuthGuard checks the role and the event in the URL; handlers that reach a resource
 * by id check its own event with `assertResourceEvent`.
 */

/**
 * Whether a token of `role` may use a route open to `allowed`: a desk token may do everything a
 * door token may (scan, check in by hand, look people up), plus the routes that name `desk`.
 */
export function roleMayUse(allowed: readonly Role[], role: Role): boolean {
  return allowed.includes(role) || (role === 'desk' && allowed.includes('door'));
}

/** What a token may do, as far as the access model is concerned. */
export interface TokenScope {
  role: Role;
  events: string[];
  gates: string[];
}

/** An organiser token for every event: the only kind that may manage events and wide tokens. */
export function isUnlimited(principal: Principal): boolean {
  return principal.role === 'organiser' && principal.events.length === 0;
}

export function mayActOnEvent(principal: Principal, slug: string): boolean {
  return principal.events.length === 0 || principal.events.includes(slug);
}

export function mayUseGate(principal: Principal, gate: string): boolean {
  return (
    principal.role === 'organiser' || principal.gates.length === 0 || principal.gates.includes(gate)
  );
}

/** Whether a scope stays inside another: its role, events and gates no wider. */
export function isWithin(inner: TokenScope, outer: TokenScope): boolean {
  if (outer.role !== 'organiser' && inner.role !== outer.role) return false;
  const eventsInside =
    outer.events.length === 0 ||
    (inner.events.length > 0 && inner.events.every((e) => outer.events.includes(e)));
  const gatesInside =
    outer.role === 'organiser' ||
    outer.gates.length === 0 ||
    (inner.gates.length > 0 && inner.gates.every((g) => outer.gates.includes(g)));
  return eventsInside && gatesInside;
}

/**
 * Why `principal` may not issue a token of scope `wanted`, or null when it may. A token never makes
 * a token wider than itself: a limited organiser names events among its own.
 */
export function refusalToIssue(principal: Principal, wanted: TokenScope): string | null {
  if (principal.role !== 'organiser') return 'Only organiser tokens may issue tokens';
  if (isWithin(wanted, principal)) return null;
  if (wanted.events.length === 0) {
    return `This token is limited to events ${principal.events.join(', ')}: a token it issues must name events among them`;
  }
  const outside = wanted.events.filter((event) => !principal.events.includes(event));
  return `This token may not issue tokens for ${outside.map((e) => `"${e}"`).join(', ')}`;
}

/** Whether `principal` may see or revoke a token of scope `token`. */
export function mayManageToken(principal: Principal, token: TokenScope): boolean {
  return principal.role === 'organiser' && isWithin(token, principal);
}

/** 403 unless the token may act on event `slug` (the event named in a URL). */
export function assertMayActOnEvent(principal: Principal, slug: string): void {
  if (!mayActOnEvent(principal, slug)) {
    throw new ForbiddenException(`This token is not valid for event "${slug}"`);
  }
}

/**
 * For a resource reached by its id: 404 (`notFound`) unless the token may act on the resource's own
 * event. Not a 403: a token outside the event learns nothing, not even that the id exists.
 */
export function assertResourceEvent(
  principal: Principal,
  resourceEventSlug: string | null | undefined,
  notFound: string,
): void {
  if (!resourceEventSlug || !mayActOnEvent(principal, resourceEventSlug)) {
    throw new NotFoundException(notFound);
  }
}
