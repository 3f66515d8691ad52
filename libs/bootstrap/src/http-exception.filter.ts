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
 * Every error answer has the contract's shape `{statusCode, error, message}`. Errors raised by
 * Fastify itself (malformed JSON, a body over the limit, a wrong content type) keep their 4xx status;
 * anything unexpected is logged with its stack and answered 500 without internals.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { retryAfter, ...body } = this.toBody(exception);
    if (body.statusCode >= 500) this.logger.error({ err: exception }, 'Unhandled error');
    if (typeof retryAfter === 'number') reply.header('Retry-After', String(retryAfter));
    else if (body.statusCode === 429 && !reply.getHeader('retry-after'))
      reply.header('Retry-After', '1');
    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown): ErrorBody {
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
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: 'Internal Server Error',
      message: 'Something went wrong; the error has been logged',
    };
  }
}
