import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../common/api-error.js';

/** 403 for a machine client's token on a route for people (every route unless it names scopes). */
export function userTokenRequired(): ApiError {
  return new ApiError(
    HttpStatus.FORBIDDEN,
    'user_token_required',
    "This route is for people: send a user's access token, not an app client's (client credentials).",
  );
}

/** 403 with the RFC 6750 challenge naming every scope the route requires. */
export function insufficientScope(required: string[]): ApiError {
  const scopes = required.join(' ');
  return new ApiError(HttpStatus.FORBIDDEN, 'insufficient_scope', `This route needs a token with the scope(s): ${scopes}.`, {
    'www-authenticate': `Bearer realm="api", error="insufficient_scope", scope="${scopes}"`,
  });
}

/** 403 for a token of a pool the route (or the action) does not accept. */
export function wrongPool(pool: string, accepted: readonly string[]): ApiError {
  return new ApiError(
    HttpStatus.FORBIDDEN,
    'wrong_pool',
    `This is for people of the pool(s) ${accepted.join(', ')} only; the token is of the pool ${pool}.`,
  );
}

/** 403 for an admin action on a pool whose people the admin may not manage (ADMIN_OWN_POOL_ONLY, or the route's @Pools). */
export function poolNotManaged(pool: string, managed: readonly string[]): ApiError {
  return new ApiError(
    HttpStatus.FORBIDDEN,
    'wrong_pool',
    `You may manage the people of the pool(s) ${managed.join(', ') || '(none)'} here, not those of the pool ${pool}.`,
  );
}
