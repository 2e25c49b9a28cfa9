import { HttpException, HttpStatus } from '@nestjs/common';

/** The JSON body of every error this API answers with. */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
}

/** An error with a stable, machine-readable `code`; the global filter renders it as {@link ApiErrorBody}. */
export class ApiError extends HttpException {
  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message, status);
  }
}

export function accountDisabled(): ApiError {
  return new ApiError(HttpStatus.FORBIDDEN, 'account_disabled', 'This account has been deactivated; ask an admin to reactivate it.');
}

export function forbidden(message: string): ApiError {
  return new ApiError(HttpStatus.FORBIDDEN, 'forbidden', message);
}

export function notFound(message: string): ApiError {
  return new ApiError(HttpStatus.NOT_FOUND, 'not_found', message);
}

export function databaseUnavailable(): ApiError {
  return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'database_unavailable', 'The database is unreachable; retry in a few seconds.', {
    'retry-after': '5',
  });
}
