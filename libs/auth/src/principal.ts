import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from './api-token.entity';

/** Who is calling: resolved from the bearer token by the AuthGuard. */
export interface Principal {
  tokenId: string | null;
  role: Role;
  label: string;
  gates: string[];
  events: string[];
  /** When the token stops working; null: until revoked. */
  expiresAt: Date | null;
}

export const hashToken = (token: string) =>
  createHash('sha256').update(token, 'utf8').digest('hex');

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(hashToken(a), 'hex');
  const right = Buffer.from(hashToken(b), 'hex');
  return timingSafeEqual(left, right);
}
