import { Controller, Get, Header, NotFoundException, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Public } from '@einlass/auth';

/** Where `npm run build` (scripts/build-web.mjs) puts the page: dist/apps/checkin/web. */
export function scannerPageDir(): string {
  const candidates = [
    // dist/apps/checkin/apps/checkin/src/web → dist/apps/checkin/web
    resolve(__dirname, '..', '..', '..', '..', 'web'),
    resolve(process.cwd(), 'dist', 'apps', 'checkin', 'web'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/** Everything from this service, nothing from elsewhere; the camera for this page only. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * The door staff's scanner page (`GET /scan`) and its bundled script and stylesheet. Public: the
 * page holds no data; the steward signs in on it with a door token, which is sent with each call.
 */
@Public()
@Controller('scan')
export class ScannerPageController {
  private readonly dir = scannerPageDir();
  private readonly cache = new Map<string, Buffer>();

  @Get()
  @Header('cache-control', 'no-cache')
  page(@Res() reply: FastifyReply) {
    return this.send(reply, 'index.html');
  }

  @Get('app.js')
  @Header('cache-control', 'no-cache')
  script(@Res() reply: FastifyReply) {
    return this.send(reply, 'app.js');
  }

  @Get('app.js.map')
  @Header('cache-control', 'no-cache')
  sourceMap(@Res() reply: FastifyReply) {
    return this.send(reply, 'app.js.map');
  }

  @Get('app.css')
  @Header('cache-control', 'no-cache')
  stylesheet(@Res() reply: FastifyReply) {
    return this.send(reply, 'app.css');
  }

  private send(reply: FastifyReply, name: string) {
    let body = this.cache.get(name);
    if (!body) {
      const path = join(this.dir, name);
      if (!existsSync(path)) {
        throw new NotFoundException(`The scanner page is not built (${name}): run "npm run build"`);
      }
      body = readFileSync(path);
      this.cache.set(name, body);
    }
    return reply
      .header('content-type', FILES[name])
      .header('content-security-policy', CONTENT_SECURITY_POLICY)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('permissions-policy', 'camera=(self), microphone=()')
      .send(body);
  }
}
