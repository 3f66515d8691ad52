import { Controller, Get, NotFoundException, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { FILE_SCHEMA } from '@einlass/contracts';
import type { FastifyReply } from 'fastify';
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

  @ApiProduces('application/x-x509-ca-cert')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Get('einlass-ca.crt')
  async certificate(@Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const file = this.config.get('TLS_CA_FILE', { infer: true });
    if (!file) throw new NotFoundException('This server has no local certificate authority');
    let certificate: Buffer;
    try {
      certificate = await readFile(file);
    } catch {
      throw new NotFoundException('The certificate authority file is not readable');
    }
    // Set only for the file: an error answer stays JSON (a 404, never a 500).
    reply
      .header('content-type', 'application/x-x509-ca-cert')
      .header('content-disposition', 'attachment; filename="einlass-ca.crt"')
      .header('cache-control', 'no-cache');
    return certificate;
  }
}
