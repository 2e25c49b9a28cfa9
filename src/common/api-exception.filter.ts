import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiError, ApiErrorBody, databaseUnavailable } from './api-error.js';
import { isDatabaseUnavailable, isInvalidData } from './database-errors.js';
import { safeHeaderValue } from './header-value.js';
import { countTokenRefusal } from '../metrics/metrics.js';

const CODES_BY_STATUS: Record<number, string> = {
  400: 'validation_failed',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

function reasonPhrase(status: number): string {
  const name = HttpStatus[status] as string | undefined;
  return name ? name.toLowerCase().replace(/(^|_)(\w)/g, (_m, sep: string, c: string) => (sep ? ' ' : '') + c.toUpperCase()) : 'Error';
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/** Every header of an error answer passes here: values built from input must not make Node refuse the answer. */
function safeHeaders(headers: Record<string, string>): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) safe[name] = safeHeaderValue(value);
  return safe;
}

/** Renders every error as {statusCode, error, code, message}; unexpected ones are logged, never echoed. */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const error = this.toApiError(exception);
    const status = error.getStatus();
    const body: ApiErrorBody = { statusCode: status, error: reasonPhrase(status), code: error.code, message: messageOf(error) };
    if (status === 401) countTokenRefusal(error.code);
    void reply.status(status).headers(safeHeaders(error.headers)).send(body);
  }

  private toApiError(exception: unknown): ApiError {
    if (exception instanceof ApiError) return exception;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return new ApiError(status, CODES_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), messageOf(exception));
    }
    const fastifyStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return new ApiError(fastifyStatus, CODES_BY_STATUS[fastifyStatus] ?? 'bad_request', (exception as Error).message);
    }
    if (isInvalidData(exception)) {
      // A safety net: validation should have refused this input before it reached the database.
      this.logger.warn(`Input refused by the database: ${String(exception)}`);
      return new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', 'The request holds a value that cannot be stored.');
    }
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(`Database unavailable: ${String(exception)}`);
      return databaseUnavailable();
    }
    this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    return new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, 'internal_error', 'Something went wrong on our side.');
  }
}
