import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { publicKeyFrom, VerifyingKey } from '@einlass/tickets';
import { PublicSigningKey } from '../read-model/read-model.entities';

/**
 * The public keys badges are verified with, kept in memory: a key never changes once issued, so
 * only a miss goes to the database (and a miss is remembered briefly, so random codes cannot turn
 * every scan into a query).
 */
@Injectable()
export class PublicKeys {
  private readonly known = new Map<string, VerifyingKey>();
  private readonly missing = new Map<string, number>();

  constructor(private readonly dataSource: DataSource) {}

  /** Loads the key ids a token may name, so `get` can answer synchronously. */
  async load(keyId: string): Promise<void> {
    if (this.known.has(keyId) || (this.missing.get(keyId) ?? 0) > Date.now()) return;
    const row = await this.dataSource.getRepository(PublicSigningKey).findOneBy({ keyId });
    if (row) this.known.set(keyId, publicKeyFrom(row.publicKey));
    else {
      if (this.missing.size > 10_000) this.missing.clear();
      this.missing.set(keyId, Date.now() + 1000);
    }
  }

  get(keyId: string): VerifyingKey | undefined {
    return this.known.get(keyId);
  }
}
