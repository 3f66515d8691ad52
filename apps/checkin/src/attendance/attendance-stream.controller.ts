import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { FILE_SCHEMA } from '@einlass/contracts';
import { type Principal, TooManyRequests } from '@einlass/auth';
import type { FastifyReply } from 'fastify';
import { CheckinEvents } from '../scanning/checkin-events';
import { SseConnection } from './attendance-stream.sse';
import { AttendanceStreams } from './attendance-stream.service';

/**
 * `GET /api/events/:slug/attendance/stream` (organisers): `text/event-stream` with the attendance
 * object on connect and after each change. Guards, 401/403/404 and CORS work as on every route:
 * the reply is taken over from Fastify only once the request is accepted, keeping its headers.
 * A token holds at most MAX_STREAMS_PER_TOKEN streams (429 beyond); its streams end within
 * seconds of its revocation or expiry.
 */
@Controller('api/events/:slug/attendance/stream')
export class AttendanceStreamController {
  constructor(
    private readonly events: CheckinEvents,
    private readonly streams: AttendanceStreams,
  ) {}

  @ApiProduces('text/event-stream')
  @ApiOkResponse({ schema: FILE_SCHEMA })
  @Get()
  async stream(
    @Param('slug') slug: string,
    @Req() request: { principal: Principal; bearerToken: string },
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const event = await this.events.bySlugOrFail(slug);
    const key = request.principal.tokenId ?? request.principal.label;
    if (!this.streams.mayOpen(key)) {
      throw new TooManyRequests('This token holds as many attendance streams as it may', 5);
    }
    reply.hijack();
    this.streams.open(event.id, new SseConnection(reply.raw, reply.getHeaders()), {
      key,
      bearer: request.bearerToken,
    });
  }
}
