import {
  Body,
  ConflictException,
  Controller,
  Injectable,
  Module,
  type OnModuleInit,
  Param,
  Post,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ConfigModule } from '@einlass/config';
import { startInProcess } from '@einlass/testing';
import { addFastRoute, type FastRoute } from './fast-routes';
import { sendErrorAnswer } from './http-exception.filter';
import { loggingModule } from './logging';

@Controller('things')
class ThingsController {
  @Post(':id')
  save(@Param('id') id: string, @Body() body: unknown) {
    return { by: 'nest', id, body };
  }

  @Post(':id/other')
  other() {
    return { by: 'nest', route: 'other' };
  }
}

/** Takes bodies that say `{"fast": true}`, fails on `{"fail": true}`, leaves the rest to Nest. */
@Injectable()
class ThingsFastRoute implements FastRoute, OnModuleInit {
  readonly method = 'POST';
  readonly url = '/things/:id';

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    addFastRoute(this.adapterHost.httpAdapter.getInstance(), this);
  }

  answer(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const body = request.body as { fast?: boolean; fail?: boolean; escape?: boolean } | undefined;
    if (body?.fail) {
      sendErrorAnswer(new ConflictException('This thing is taken'), reply);
      return Promise.resolve(true);
    }
    if (body?.escape) return Promise.reject(new Error('a bug in the fast route'));
    if (!body?.fast) return Promise.resolve(false);
    void reply.code(200).send({ by: 'fast', id: (request.params as { id: string }).id });
    return Promise.resolve(true);
  }
}

@Module({
  imports: [ConfigModule, loggingModule('fast-routes-spec')],
  controllers: [ThingsController],
  providers: [ThingsFastRoute],
})
class ThingsModule {}

/** A route answered ahead of Nest's router: what it takes, what it leaves to Nest, its errors. */
describe('fast routes', () => {
  let app: NestFastifyApplication;
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });

  beforeAll(async () => {
    app = await startInProcess(ThingsModule);
  });

  afterAll(() => app.close());

  it('answers the requests it takes, with the route parameters Fastify matched', async () => {
    const answer = await post('/things/7', { fast: true });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ by: 'fast', id: '7' });
  });

  it('leaves the others to the Nest route of the same URL', async () => {
    const answer = await post('/things/7', { fast: false });
    expect(answer.statusCode).toBe(201);
    expect(answer.json()).toEqual({ by: 'nest', id: '7', body: { fast: false } });
    expect((await post('/things/7/other', { fast: true })).json()).toEqual({
      by: 'nest',
      route: 'other',
    });
  });

  it('answers errors in the contract shape, also one that escaped it (500, nothing internal)', async () => {
    const taken = await post('/things/7', { fail: true });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'This thing is taken',
    });
    const escaped = await post('/things/7', { escape: true });
    expect(escaped.statusCode).toBe(500);
    expect(escaped.json()).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Something went wrong; the error has been logged',
    });
    // The service goes on.
    expect((await post('/things/8', { fast: true })).statusCode).toBe(200);
  });
});
