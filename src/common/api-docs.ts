import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiResponse } from '@nestjs/swagger';
import type { ApiErrorBody } from './api-error.js';

/** Name of the OpenAPI security scheme for Cognito access tokens. */
export const BEARER_SCHEME = 'cognito-access-token';

/** Name of the OpenAPI security scheme for app clients' client-credentials tokens (with scopes). */
export const CLIENT_CREDENTIALS_SCHEME = 'cognito-client-credentials';

/** OpenAPI shape of {@link ApiErrorBody}, the JSON of every error. */
export class ApiErrorDto {
  @ApiProperty({ example: 401 })
  statusCode: number;

  @ApiProperty({ example: 'Unauthorized' })
  error: string;

  @ApiProperty({
    description:
      'Stable cause: token_missing, token_malformed, token_invalid, token_expired, token_not_yet_valid, token_wrong_issuer, ' +
      'token_wrong_use, token_wrong_client, token_wrong_audience, token_revoked, keys_unavailable, account_disabled, forbidden, user_token_required, ' +
      'insufficient_scope, wrong_pool, validation_failed, unknown_group, invalid_pagination_token, not_found, group_not_found, cannot_deactivate_self, ' +
      'cannot_erase_self, cannot_remove_own_admin, not_in_pool, user_exists, pool_refused, pool_unavailable, pool_admin_unavailable, ' +
      'database_unavailable, internal_error',
    example: 'token_expired',
  })
  code: string;

  @ApiProperty({ example: 'The token has expired; sign in again or use the refresh token.' })
  message: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (code validation_failed): a query parameter the route does not take (named in the message), or an invalid body, query or path value; nothing was changed',
  401: 'Missing or bad access token (code token_*), with a WWW-Authenticate challenge',
  403:
    'Account deactivated (account_disabled), not allowed (forbidden), an app client token on a route for people (user_token_required), ' +
    "a token without a required scope (insufficient_scope), or of a pool the route does not accept (wrong_pool; see the route's x-pools)",
  404: 'Not found (not_found)',
  409: 'Conflicts with the current state, e.g. an admin deactivating or erasing themselves (cannot_deactivate_self, cannot_erase_self)',
  503: 'The server may not call the pool admin API (pool_admin_unavailable: no AWS credentials, or the IAM action the message names is missing), signing keys not loaded yet (keys_unavailable), database unreachable (database_unavailable), or, on /health, not ready (not_ready) or draining (shutting_down)',
};

/** One typical answer per status, so that a 403 is not shown with the schema's 401 example. */
const EXAMPLES: Record<number, ApiErrorBody> = {
  400: {
    statusCode: 400,
    error: 'Bad Request',
    code: 'validation_failed',
    message: 'phone must be in E.164 format, e.g. +14155550123',
  },
  401: {
    statusCode: 401,
    error: 'Unauthorized',
    code: 'token_expired',
    message: 'The token has expired; sign in again or use the refresh token.',
  },
  403: {
    statusCode: 403,
    error: 'Forbidden',
    code: 'account_disabled',
    message: 'This account has been deactivated; ask an admin to reactivate it.',
  },
  404: { statusCode: 404, error: 'Not Found', code: 'not_found', message: 'No user with id 0b7e4f5c-2f1e-4c8e-9a52-6f0d1c3b2a19.' },
  409: {
    statusCode: 409,
    error: 'Conflict',
    code: 'cannot_deactivate_self',
    message: 'You cannot deactivate your own account: you would lock yourself out. Ask another admin.',
  },
  503: {
    statusCode: 503,
    error: 'Service Unavailable',
    code: 'database_unavailable',
    message: 'The database is unreachable; retry in a few seconds.',
  },
};

/** Documents the error responses a route can give, all in the {@link ApiErrorDto} format. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ApiErrorDto, example: EXAMPLES[status] })),
  );
}

/** A route behind the global token guard: bearer scheme plus its 400 (unknown query parameters), 401, 403 and 503 answers. */
export function ApiAuthenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(BEARER_SCHEME), ApiErrors(400, 401, 403, 503));
}
