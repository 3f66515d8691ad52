import { Controller, Get, Header, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '@einlass/auth';
import type { AppConfig } from '@einlass/config';
import { ConfigService } from '@nestjs/config';
import { builtPageDir, contentSecurityPolicy, WebBundle } from './web-bundle';

/**
 * The organisers' pages (`GET /dashboard`): live attendance, attendees, imports, print jobs. One
 * page app that calls all three services from the browser (they answer CORS requests); where the
 * other two are comes from `config.json`. Public like the scanner page: it holds no data, and
 * shows nothing until an organiser token has been accepted.
 */
@Public()
@Controller('dashboard')
export class DashboardPageController {
  private readonly bundle = new WebBundle(builtPageDir('organiser-web'), "organisers' pages");

  constructor(@Inject(ConfigService) private readonly config: AppConfig) {}

  @Get()
  page(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(request, reply, 'index.html');
  }

  @Get('app.js')
  script(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(request, reply, 'app.js');
  }

  @Get('app.js.map')
  sourceMap(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(request, reply, 'app.js.map');
  }

  @Get('app.css')
  stylesheet(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    return this.send(request, reply, 'app.css');
  }

  /** Where the browser reaches each service. */
  @Get('config.json')
  @Header('cache-control', 'no-store')
  configuration(@Req() request: FastifyRequest) {
    return { services: this.serviceUrls(request) };
  }

  /**
   * The configured public URLs, else the host name the browser used for this page with each
   * service's port (what `npm run up` gives: http://localhost:3001 … 3003).
   */
  private serviceUrls(request: FastifyRequest) {
    const sameHost = (port: number) => `${request.protocol}://${request.hostname}:${port}`;
    const here = `${request.protocol}://${request.host}`;
    return {
      registration:
        this.config.get('REGISTRATION_PUBLIC_URL', { infer: true }) ??
        sameHost(this.config.get('REGISTRATION_PORT', { infer: true })),
      badges:
        this.config.get('BADGES_PUBLIC_URL', { infer: true }) ??
        sameHost(this.config.get('BADGES_PORT', { infer: true })),
      checkin: here,
    };
  }

  private send(request: FastifyRequest, reply: FastifyReply, name: string) {
    const { registration, badges } = this.serviceUrls(request);
    return this.bundle.send(reply, name, {
      csp: contentSecurityPolicy([new URL(registration).origin, new URL(badges).origin]),
      permissions: 'camera=(), microphone=()',
    });
  }
}
