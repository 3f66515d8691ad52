import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from './api-token.entity';

/** Who is calling: resolved from the bearer token by the AuthGuard. */
export interface Principal {
  tokenId: string | null;
  role: Role;
  label: string;
  gates: string[];
  events: string[];
}

export const hashToken = (token: string) =>
  createHash('sha256').update(token, 'utf8').digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(hashToken(a), 'hex');
  const right = Buffer.from(hashToken(b), 'hex');
  return timingSafeEqual(left, right);
}

export function mayActOnEvent(principal: Principal, slug: string): boolean {
  return principal.events.length === 0 || principal.events.includes(slug);
}

export function mayUseGate(principal: Principal, gate: string): boolean {
  return (
    principal.role === 'organiser' || principal.gates.length === 0 || principal.gates.includes(gate)
  );
}
