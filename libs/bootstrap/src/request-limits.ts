import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { TokenBuckets } from '@einlass/auth';
import type { Environment } from '@einlass/config';
import { parseJsonBody } from './json-body';

/** Content types of HTML forms: no Einlass endpoint takes them (API.md: 415). */
const FORM_TYPES = /^\s*(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

const tooMany = (seconds: number) => ({
  statusCode: 429,
  error: 'Too Many Requests',
  message: `Too many requests; try again in ${seconds} s`,
});

/**
 * Cheap refusals, before any body is read or any token looked up:
 * - every request counts against a budget (REQUEST_RATE_PER_SECOND, bursts of REQUEST_BURST)
 *   per bearer token, or per client address without one; beyond it 429 with Retry-After;
 * - an HTML form body is a 415;
 * - JSON bodies are read by parseJsonBody: invalid UTF-8 and nesting deeper than 32 are a 400.
 * `/health` is not counted (orchestrators poll it).
 */
export function installRequestLimits(
  instance: FastifyInstance,
  env: Pick<Environment, 'REQUEST_RATE_PER_SECOND' | 'REQUEST_BURST'>,
  jsonBodyLimit: number,
): void {
  const budget = new TokenBuckets(env.REQUEST_RATE_PER_SECOND, env.REQUEST_BURST);
  instance.addHook('onRequest', (request, reply, done) => {
    if (request.url === '/health') return done();
    const authorization = request.headers.authorization;
    const key =
      typeof authorization === 'string' && authorization.length > 0
        ? `token:${createHash('sha256').update(authorization).digest('base64url')}`
        : `address:${request.ip}`;
    const wait = budget.take(key);
    if (wait > 0) {
      void reply.code(429).header('Retry-After', String(wait)).send(tooMany(wait));
      return;
    }
    const type = request.headers['content-type'];
    if (typeof type === 'string' && FORM_TYPES.test(type)) {
      void reply.code(415).send({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: `Content type ${type.split(';')[0].trim()} is not accepted here; send JSON (application/json)`,
      });
      return;
    }
    done();
  });
  instance.removeContentTypeParser('application/json');
  instance.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer', bodyLimit: jsonBodyLimit },
    (_request, body, done) => {
      try {
        done(null, parseJsonBody(body));
      } catch (error) {
        done(error as Error, undefined);
      }
    },
  );
}
