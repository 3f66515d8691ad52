import { NotFoundException } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where `npm run build` (scripts/build-web.mjs) puts a page: dist/web/<page>. */
export function builtPageDir(page: 'door-scanner' | 'organiser-web'): string {
  const candidates = [
    // dist/apps/checkin/apps/checkin/src/web → dist/web/<page>
    resolve(__dirname, '..', '..', '..', '..', '..', '..', 'web', page),
    resolve(process.cwd(), 'dist', 'web', page),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

const CONTENT_TYPES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.js.map': 'application/json; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

export const BUNDLE_FILES = Object.keys(CONTENT_TYPES);

/** Everything from this service; the page's API calls only to `connectTo`. */
export function contentSecurityPolicy(connectTo: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self'${connectTo.map((origin) => ` ${origin}`).join('')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * A built page (HTML, script, stylesheet, source map), read once and served with strict headers.
 * The page holds no data: whoever uses it signs in with a token, sent with each API call.
 */
export class WebBundle {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly dir: string,
    private readonly label: string,
  ) {}

  send(
    reply: FastifyReply,
    name: string,
    headers: { csp: string; permissions: string },
  ): FastifyReply {
    let body = this.cache.get(name);
    if (!body) {
      const path = join(this.dir, name);
      if (!CONTENT_TYPES[name] || !existsSync(path)) {
        throw new NotFoundException(
          `The ${this.label} is not built (${name}): run "npm run build"`,
        );
      }
      body = readFileSync(path);
      this.cache.set(name, body);
    }
    return reply
      .header('content-type', CONTENT_TYPES[name])
      .header('cache-control', 'no-cache')
      .header('content-security-policy', headers.csp)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('permissions-policy', headers.permissions)
      .send(body);
  }
}
