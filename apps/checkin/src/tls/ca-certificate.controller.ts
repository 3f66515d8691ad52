import { Controller, Get, Header, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { readFile } from 'node:fs/promises';
import { Public } from '@einlass/auth';
import type { Environment } from '@einlass/config';

/**
 * The local certificate authority's certificate (TLS_CA_FILE), for phones to download and trust
 * so that the scanner page opens over HTTPS without a warning. Public: a CA certificate is no
 * secret (its key never leaves the server's .einlass/tls folder). 404 when none is configured.
 */
@Public()
@Controller()
export class CaCertificateController {
  constructor(private readonly config: ConfigService<Environment, true>) {}

  @Get('einlass-ca.crt')
  @Header('content-type', 'application/x-x509-ca-cert')
  @Header('content-disposition', 'attachment; filename="einlass-ca.crt"')
  @Header('cache-control', 'no-cache')
  async certificate(): Promise<Buffer> {
    const file = this.config.get('TLS_CA_FILE', { infer: true });
    if (!file) throw new NotFoundException('This server has no local certificate authority');
    try {
      return await readFile(file);
    } catch {
      throw new NotFoundException('The certificate authority file is not readable');
    }
  }
}
