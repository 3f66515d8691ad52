import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { type Environment, serviceScheme } from '@einlass/config';
import type { CertificateCheck } from '@einlass/contracts';

/** How long the page waits for badges' answer. */
const TIMEOUT_MS = 5_000;

/**
 * Asks the badges service, which issues certificates and holds the keys, whether a code is
 * genuine (its public `GET /api/certificates/verify`). Answers undefined when badges cannot be
 * reached.
 */
@Injectable()
export class CertificateVerification {
  private readonly logger = new Logger(CertificateVerification.name);
  private readonly badges: string;

  constructor(config: ConfigService<Environment, true>) {
    const scheme = serviceScheme({ TLS_CERT_FILE: config.get('TLS_CERT_FILE', { infer: true }) });
    this.badges =
      config.get('BADGES_INTERNAL_URL', { infer: true }) ??
      `${scheme}://127.0.0.1:${config.get('BADGES_PORT', { infer: true })}`;
  }

  async check(code: string): Promise<CertificateCheck | undefined> {
    const url = `${this.badges}/api/certificates/verify?code=${encodeURIComponent(code)}`;
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (!response.ok) {
        this.logger.warn({ status: response.status }, 'Badges refused a certificate check');
        return undefined;
      }
      return (await response.json()) as CertificateCheck;
    } catch (error) {
      this.logger.warn({ err: error }, 'Badges could not be asked about a certificate');
      return undefined;
    }
  }
}
