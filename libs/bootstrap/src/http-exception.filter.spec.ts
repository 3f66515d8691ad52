import { ArgumentsHost, BadRequestException } from '@nestjs/common';
import { Client } from 'pg';
import { QueryFailedError } from 'typeorm';
import { TEST_DATABASE_URL } from '@einlass/testing';
import { HttpExceptionFilter } from './http-exception.filter';

/** What the filter answers, through a reply that records status, headers and body. */
function answer(exception: unknown) {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const reply = {
    header: (name: string, value: string) => ((sent.headers[name.toLowerCase()] = value), reply),
    getHeader: (name: string) => sent.headers[name.toLowerCase()],
    status: (code: number) => ((sent.status = code), reply),
    send: (body: unknown) => ((sent.body = body), reply),
  };
  const host = { switchToHttp: () => ({ getResponse: () => reply }) } as unknown as ArgumentsHost;
  new HttpExceptionFilter().catch(exception, host);
  return sent;
}

describe('error answers', () => {
  it('answers 503 with Retry-After when PostgreSQL has no connection to give (too many clients)', async () => {
    // A real refusal: a role PostgreSQL lets no one connect as, as when max_connections is reached.
    const admin = new Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'einlass_no_connections') THEN
        CREATE ROLE einlass_no_connections LOGIN CONNECTION LIMIT 0;
      END IF; END $$`);
    await admin.end();
    const url = new URL(TEST_DATABASE_URL);
    url.username = 'einlass_no_connections';
    url.password = '';
    const refused = new Client({ connectionString: url.toString() });
    const error = await refused.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    await refused.end().catch(() => undefined);
    expect((error as { code?: string }).code).toBe('53300');

    const sent = answer(error);
    expect(sent.status).toBe(503);
    expect(sent.headers['retry-after']).toBe('2');
    expect(sent.body).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'The database is busy or unreachable for a moment; please try again',
    });
  });

  it('answers 503 for a deadlock or a server shutting down, 409 for a duplicate, 500 for the rest', () => {
    const queryFailed = (code: string) =>
      new QueryFailedError('SELECT 1', [], Object.assign(new Error('x'), { code }));
    expect(answer(queryFailed('40P01')).status).toBe(503);
    expect(answer(queryFailed('57P01')).status).toBe(503);
    expect(answer(queryFailed('23505')).status).toBe(409);
    expect(answer(queryFailed('22P02')).status).toBe(400);
    expect(answer(new BadRequestException('bad')).status).toBe(400);
    const unexpected = answer(new Error('a bug'));
    expect(unexpected.status).toBe(500);
    expect(JSON.stringify(unexpected.body)).not.toContain('a bug');
  });
});
