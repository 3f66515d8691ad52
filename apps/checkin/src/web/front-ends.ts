import fastifyStatic from '@fastify/static';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import type { PathsObject } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '@einlass/config';
import { serviceUrls } from './service-urls';

/** Everything from this service; the page's API calls only to `connectTo`. */
export function contentSecurityPolicy(connectTo: string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self'${connectTo.map((origin) => ` ${origin}`).join('')}`,
    // the desk and the scanner print a badge PDF from a hidden frame of an object URL
    "frame-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

interface FrontEnd {
  /** What it is, for the API document. */
  title: string;
  /** Its folder under WEB_PAGES_DIR (what scripts/build-web.mjs builds from apps/<app>). */
  app: string;
  /** Where it is served: the page itself, and its files below. */
  at: string;
  csp(request: FastifyRequest, config: AppConfig): string;
  permissions: string;
  /** Its service worker, if it has one: a file below `at`, controlling `at` itself. */
  serviceWorker?: string;
}

/**
 * The front-ends check-in serves. The scanner talks to this service, and to badges only to print
 * a badge at the door (where the event allows it), and may use the camera; the organisers' pages
 * call all three services. Both learn where the others are from GET /dashboard/config.json.
 */
const FRONT_ENDS: FrontEnd[] = [
  {
    title: "The door staff's page",
    app: 'door-scanner',
    at: '/scan',
    csp: (request, config) =>
      contentSecurityPolicy([new URL(serviceUrls(config, request).badges).origin]),
    permissions: 'camera=(self), microphone=()',
    serviceWorker: 'sw.js',
  },
  {
    title: "The organisers' pages",
    app: 'organiser-web',
    at: '/dashboard',
    csp: (request, config) => {
      const { registration, badges } = serviceUrls(config, request);
      return contentSecurityPolicy([new URL(registration).origin, new URL(badges).origin]);
    },
    permissions: 'camera=(), microphone=()',
  },
];

/**
 * The front-ends' routes in the API document (they are Fastify's, not a controller's): each page
 * and the files below it.
 */
export function frontEndPaths(): PathsObject {
  const paths: PathsObject = {};
  const publicRoute = { security: [], tags: ['checkin'] };
  for (const frontEnd of FRONT_ENDS) {
    paths[frontEnd.at] = {
      get: {
        ...publicRoute,
        summary: frontEnd.title,
        description: 'Public: no token needed. Whoever uses the page signs in on it with a token.',
        responses: {
          '200': {
            description: 'The page',
            content: { 'text/html': { schema: { type: 'string' } } },
          },
        },
      },
    };
    paths[`${frontEnd.at}/{file}`] = {
      get: {
        ...publicRoute,
        summary: `${frontEnd.title}: its script, stylesheet and source map`,
        description: 'Public: no token needed.',
        parameters: [{ name: 'file', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '200': { description: 'The file', content: { '*/*': { schema: { type: 'string' } } } },
          '404': { description: 'No such file' },
        },
      },
    };
  }
  return paths;
}

/**
 * Serves the built front-ends (static files under WEB_PAGES_DIR, see scripts/build-web.mjs) with
 * @fastify/static: the page at `/scan` and `/dashboard`, its script, stylesheet and source map
 * below. Public: the pages hold no data; whoever uses one signs in with a token, sent with each
 * API call. Every file is revalidated (`no-cache`, with ETag): the file names carry no hash. The
 * scanner's service worker (scripts/build-web.mjs) is revalidated the same way, so a new build
 * reaches a device the next time it opens the page online.
 */
@Injectable()
export class FrontEnds implements OnModuleInit {
  private readonly logger = new Logger(FrontEnds.name);

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.get('SERVE_WEB_PAGES', { infer: true })) return;
    const dir = this.config.get('WEB_PAGES_DIR', { infer: true });
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    for (const frontEnd of FRONT_ENDS) {
      const root = join(dir, frontEnd.app);
      if (!existsSync(join(root, 'index.html'))) {
        this.logger.warn(`${frontEnd.app} is not built in ${root}: run "npm run build"`);
      }
      // a scope of its own: each front-end has its own root, sendFile and headers
      await fastify.register(async (scope) => {
        await scope.register(fastifyStatic, {
          root,
          prefix: frontEnd.at,
          cacheControl: false,
          dotfiles: 'deny',
          suppressWarning: true,
          setHeaders: (reply: FastifyReply, path: string) => {
            this.secure(reply, frontEnd);
            // /scan/sw.js may control /scan (the page), not only what is below /scan/
            if (frontEnd.serviceWorker && path === join(root, frontEnd.serviceWorker))
              reply.header('service-worker-allowed', frontEnd.at);
          },
        });
        scope.get(frontEnd.at, (_request, reply) => reply.sendFile('index.html'));
      });
    }
  }

  private secure(reply: FastifyReply, frontEnd: FrontEnd): void {
    reply
      .header('cache-control', 'no-cache')
      .header('content-security-policy', frontEnd.csp(reply.request, this.config))
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('permissions-policy', frontEnd.permissions);
  }
}
