import { Controller, Get, Param, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CheckinEvents } from '../scanning/checkin-events';
import { SseConnection } from './attendance-stream.sse';
import { AttendanceStreams } from './attendance-stream.service';

/**
 * `GET /api/events/:slug/attendance/stream` (organisers): `text/event-stream` with the attendance
 * object on connect and after each change. Guards, 401/403/404 and CORS work as on every route:
 * the reply is taken over from Fastify only once the request is accepted, keeping its headers.
 */
@Controller('api/events/:slug/attendance/stream')
export class AttendanceStreamController {
  constructor(
    private readonly events: CheckinEvents,
    private readonly streams: AttendanceStreams,
  ) {}

  @Get()
  async stream(@Param('slug') slug: string, @Res() reply: FastifyReply): Promise<void> {
    const event = await this.events.bySlugOrFail(slug);
    reply.hijack();
    this.streams.open(event.id, new SseConnection(reply.raw, reply.getHeaders()));
  }
}
