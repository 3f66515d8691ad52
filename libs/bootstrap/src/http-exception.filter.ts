import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { QueryFailedError } from 'typeorm';

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  [extra: string]: unknown;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * PostgreSQL refusing for a moment, not the request: no connection to be had (08…, too many
 * clients 53300, out of resources 53…), the server shutting down or starting (57P01–57P03), or a
 * transaction given up on that would succeed if tried again (serialization failure, deadlock).
 */
export function databaseUnavailable(exception: unknown): boolean {
  const error =
    exception instanceof QueryFailedError ? (exception.driverError as unknown) : exception;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    code.startsWith('08') ||
    code.startsWith('53') ||
    ['57P01', '57P02', '57P03', '40001', '40P01'].includes(code) ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET'
  );
}

/**
 * Every error answer has the contract's shape `{statusCode, error, message}`. Errors raised by
 * Fastify itself (malformed JSON, a body over the limit, a wrong content type) keep their 4xx status;
 * a database that cannot serve for a moment is 503 with Retry-After (logged like a 500); anything
 * unexpected is logged with its stack and answered 500 without internals.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    sendErrorAnswer(exception, host.switchToHttp().getResponse<FastifyReply>());
  }
}

const logger = new Logger('HttpExceptionFilter');

/**
 * Answers `exception` in the contract's error shape: what HttpExceptionFilter does for Nest's
 * routes, also for a route answered ahead of Nest's router (FastRoute).
 */
export function sendErrorAnswer(exception: unknown, reply: FastifyReply): void {
  const { retryAfter, ...body } = errorBody(exception);
  if (body.statusCode >= 500) logger.error({ err: exception }, 'Unhandled error');
  if (typeof retryAfter === 'number') reply.header('Retry-After', String(retryAfter));
  else if (body.statusCode === 429 && !reply.getHeader('retry-after'))
    reply.header('Retry-After', '1');
  void reply.status(body.statusCode).send(body);
}

function errorBody(exception: unknown): ErrorBody & { retryAfter?: number } {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null) {
      const r = response as Partial<ErrorBody>;
      return {
        ...r,
        statusCode: status,
        error: r.error ?? REASONS[status] ?? 'Error',
        message: r.message ?? exception.message,
      };
    }
    return { statusCode: status, error: REASONS[status] ?? 'Error', message: String(response) };
  }
  const fastifyStatus = (exception as { statusCode?: unknown }).statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    return {
      statusCode: fastifyStatus,
      error: REASONS[fastifyStatus] ?? 'Bad Request',
      message: exception instanceof Error ? exception.message : 'Bad request',
    };
  }
  // A safety net for input that passed validation but PostgreSQL refuses (a value out of range,
  // bad text encoding, a missing or duplicate value): still the client's fault, never a 500.
  if (exception instanceof QueryFailedError) {
    const code = (exception.driverError as { code?: string } | undefined)?.code ?? '';
    if (code === '23505') {
      return {
        statusCode: 409,
        error: REASONS[409],
        message: 'This conflicts with an existing record',
      };
    }
    if (code.startsWith('22') || code === '23502' || code === '23514') {
      return {
        statusCode: 400,
        error: REASONS[400],
        message: 'A value in the request is not valid',
      };
    }
  }
  if (databaseUnavailable(exception)) {
    return {
      statusCode: 503,
      error: REASONS[503],
      message: 'The database is busy or unreachable for a moment; please try again',
      retryAfter: 2,
    };
  }
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    error: 'Internal Server Error',
    message: 'Something went wrong; the error has been logged',
  };
}
