import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { publicKeyFrom, VerifyingKey } from '@einlass/tickets';
import { PublicSigningKey } from '../read-model/read-model.entities';

/** How long a key's retirement may go unnoticed by a process that did not consume it. */
const RECHECK_MS = 3000;

interface KnownKey {
  key: VerifyingKey;
  retired: boolean;
  /** Until when `retired` is taken as current. */
  until: number;
}

/**
 * The public keys badges are verified with, kept in memory: a key itself never changes, but the
 * organisers may retire it, so each key is looked at again every few seconds while it is scanned
 * (and forgotten at once in the process that consumes the retirement). A miss is remembered
 * briefly, so random codes cannot turn every scan into a query.
 */
@Injectable()
export class PublicKeys {
  private readonly known = new Map<string, KnownKey>();
  private readonly missing = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  /** Loads (or looks again at) a key a token names, so `get` and `isRetired` answer at once. */
  async load(keyId: string): Promise<void> {
    const now = Date.now();
    if ((this.known.get(keyId)?.until ?? 0) > now || (this.missing.get(keyId) ?? 0) > now) return;
    const row = await this.dataSource.getRepository(PublicSigningKey).findOneBy({ keyId });
    if (row) {
      const key = this.known.get(keyId)?.key ?? publicKeyFrom(row.publicKey);
      this.known.set(keyId, { key, retired: row.retiredAt !== null, until: now + RECHECK_MS });
    } else {
      if (this.missing.size > 10_000) this.missing.clear();
      this.missing.set(keyId, now + 1000);
    }
  }

  get(keyId: string): VerifyingKey | undefined {
    return this.known.get(keyId)?.key;
  }

  /** Whether the organisers retired the key (as last loaded). */
  isRetired(keyId: string): boolean {
    return this.known.get(keyId)?.retired ?? false;
  }

  /** The key changed (retired): the next `load` reads it again. */
  forget(keyId: string): void {
    this.known.delete(keyId);
    this.missing.delete(keyId);
  }
}
