import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiResponse } from '@nestjs/swagger';

/** Name of the OpenAPI security scheme for Cognito access tokens. */
export const BEARER_SCHEME = 'cognito-access-token';

/** OpenAPI shape of {@link ApiErrorBody}, the JSON of every error. */
export class ApiErrorDto {
  @ApiProperty({ example: 401 })
  statusCode: number;

  @ApiProperty({ example: 'Unauthorized' })
  error: string;

  @ApiProperty({
    description:
      'Stable cause: token_missing, token_malformed, token_invalid, token_expired, token_not_yet_valid, token_wrong_issuer, ' +
      'token_wrong_use, token_wrong_client, token_revoked, keys_unavailable, account_disabled, forbidden, validation_failed, not_found, ' +
      'cannot_deactivate_self, cannot_erase_self, not_in_pool, pool_unavailable, pool_admin_unavailable, database_unavailable, internal_error',
    example: 'token_expired',
  })
  code: string;

  @ApiProperty({ example: 'The token has expired; sign in again or use the refresh token.' })
  message: string;
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request (code validation_failed); nothing was changed',
  401: 'Missing or bad access token (code token_*), with a WWW-Authenticate challenge',
  403: 'Account deactivated (account_disabled) or not allowed (forbidden)',
  404: 'Not found (not_found)',
  409: 'Conflicts with the current state, e.g. an admin deactivating or erasing themselves (cannot_deactivate_self, cannot_erase_self)',
  503: 'No AWS credentials for the pool admin API (pool_admin_unavailable, refresh from pool only), signing keys not loaded yet (keys_unavailable), database unreachable (database_unavailable), or, on /health, not ready (not_ready) or draining (shutting_down)',
};

/** Documents the error responses a route can give, all in the {@link ApiErrorDto} format. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(...statuses.map((status) => ApiResponse({ status, description: DESCRIPTIONS[status], type: ApiErrorDto })));
}

/** A route behind the global token guard: bearer scheme plus its 401/403/503 answers. */
export function ApiAuthenticated(): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiBearerAuth(BEARER_SCHEME), ApiErrors(401, 403, 503));
}
