import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '@einlass/auth';
import { builtPageDir, contentSecurityPolicy, WebBundle } from './web-bundle';

/** The scanner talks to this service only; the camera is for this page. */
const HEADERS = {
  csp: contentSecurityPolicy(),
  permissions: 'camera=(self), microphone=()',
};

/**
 * The door staff's scanner page (`GET /scan`) and its bundled script and stylesheet. Public: the
 * page holds no data; the steward signs in on it with a door token, which is sent with each call.
 */
@Public()
@Controller('scan')
export class ScannerPageController {
  private readonly bundle = new WebBundle(builtPageDir('door-scanner'), 'scanner page');

  @Get()
  page(@Res() reply: FastifyReply) {
    return this.bundle.send(reply, 'index.html', HEADERS);
  }

  @Get('app.js')
  script(@Res() reply: FastifyReply) {
    return this.bundle.send(reply, 'app.js', HEADERS);
  }

  @Get('app.js.map')
  sourceMap(@Res() reply: FastifyReply) {
    return this.bundle.send(reply, 'app.js.map', HEADERS);
  }

  @Get('app.css')
  stylesheet(@Res() reply: FastifyReply) {
    return this.bundle.send(reply, 'app.css', HEADERS);
  }
}
