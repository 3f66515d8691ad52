import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * What a token is for: `organiser` (everything, within its events), `door` (scanning at its gates),
 * `desk` (the registration desk: what a door token may, and registering walk-ins and printing
 * badges at its events; nothing else an organiser can).
 */
export const ROLES = ['organiser', 'door', 'desk'] as const;
export type Role = (typeof ROLES)[number];

/**
 * An API token as each service knows it: only its SHA-256 hash. The registration service issues
 * and revokes tokens; the others keep a copy fed by `api_token.*` events.
 */
@Entity({ name: 'api_tokens' })
export class ApiToken {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', unique: true })
  hash!: string;

  @Column({ type: 'text' })
  role!: Role;

  @Column({ type: 'text' })
  label!: string;

  /** Gates a door token may scan at; empty means all. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  gates!: string[];

  /** Event slugs the token may act on; empty means all. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  events!: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  /** From then on the token is refused everywhere; null: until revoked (migration 1765611000000). */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;
}

export const API_TOKENS_DDL = [
  `CREATE TABLE api_tokens (
     id uuid PRIMARY KEY,
     hash text NOT NULL UNIQUE,
     role text NOT NULL CHECK (role IN ('organiser', 'door')),
     label text NOT NULL,
     gates text[] NOT NULL DEFAULT '{}',
     events text[] NOT NULL DEFAULT '{}',
     created_at timestamptz NOT NULL DEFAULT now(),
     revoked_at timestamptz
   )`,
];
