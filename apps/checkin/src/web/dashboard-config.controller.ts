import { Controller, Get, Header, Inject, Req } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { answer } from '@einlass/contracts';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';
import { Public } from '@einlass/auth';
import type { AppConfig } from '@einlass/config';
import { serviceUrls } from './service-urls';

/**
 * Where the organisers' pages (apps/organiser-web, served at `/dashboard`, see front-ends.ts)
 * reach each service: they call all three from the browser (the services answer CORS requests).
 * Public like the page: it holds no data, and shows nothing until an organiser token has been
 * accepted. Behind a reverse proxy that serves the pages itself, this stays with check-in.
 */
@Public()
@Controller('dashboard')
export class DashboardConfigController {
  constructor(@Inject(ConfigService) private readonly config: AppConfig) {}

  @ApiOkResponse({ schema: answer('DashboardConfig') })
  @Get('config.json')
  @Header('cache-control', 'no-store')
  configuration(@Req() request: FastifyRequest) {
    return { services: serviceUrls(this.config, request) };
  }
}
