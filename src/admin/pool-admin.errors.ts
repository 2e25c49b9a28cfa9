import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../common/api-error.js';
import type { PoolProblemDto } from './dto/pool-outcome.dto.js';
import { PoolAdminError } from './pool-admin.client.js';

type PoolErrorCode = 'pool_admin_unavailable' | 'not_in_pool' | 'group_not_found' | 'user_exists' | 'pool_refused' | 'pool_unavailable';

/** The stable code of a pool call that did not happen. */
function codeOf(error: PoolAdminError): PoolErrorCode {
  switch (error.failure) {
    case 'denied':
      return 'pool_admin_unavailable';
    case 'not_found':
      return error.poolError === 'UserNotFoundException' ? 'not_in_pool' : 'group_not_found';
    case 'refused':
      return error.poolError === 'UsernameExistsException' || error.poolError === 'AliasExistsException' ? 'user_exists' : 'pool_refused';
    case 'failed':
      return 'pool_unavailable';
  }
}

/** The error answer of a route whose whole point is the pool call. Anything else is rethrown as it is. */
export function poolAdminProblem(error: unknown): unknown {
  if (!(error instanceof PoolAdminError)) return error;
  const { message } = error;
  switch (codeOf(error)) {
    case 'pool_admin_unavailable':
      return new ApiError(HttpStatus.SERVICE_UNAVAILABLE, 'pool_admin_unavailable', message, { 'retry-after': '300' });
    case 'not_in_pool':
      return new ApiError(HttpStatus.CONFLICT, 'not_in_pool', message);
    case 'group_not_found':
      return new ApiError(HttpStatus.NOT_FOUND, 'group_not_found', message);
    case 'user_exists':
      return new ApiError(HttpStatus.CONFLICT, 'user_exists', message);
    case 'pool_refused':
      return new ApiError(HttpStatus.CONFLICT, 'pool_refused', message);
    case 'pool_unavailable':
      return new ApiError(HttpStatus.BAD_GATEWAY, 'pool_unavailable', message);
  }
}

/** The `error` of a pool outcome, for routes whose API part happened anyway. */
export function poolProblemOf(error: unknown): PoolProblemDto {
  if (!(error instanceof PoolAdminError)) throw error;
  const code = codeOf(error);
  return {
    action: error.action,
    code: code === 'group_not_found' || code === 'user_exists' ? 'pool_refused' : code,
    message: error.message,
  };
}

/** One line for the audit trail: what the pool did, or which call was not done and why (no personal data). */
export function poolAuditValue(done: string, problem?: PoolProblemDto): string {
  return problem ? `not ${done}: ${problem.action} ${problem.code}` : done;
}

export function cannotRemoveOwnAdmin(group: string): ApiError {
  return new ApiError(
    HttpStatus.CONFLICT,
    'cannot_remove_own_admin',
    `You cannot remove yourself from the admin group ${group}: you would lose your admin rights. Ask another admin.`,
  );
}

export function unknownGroups(groups: string[]): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, 'unknown_group', `The user pool has no group ${groups.join(', ')}; nothing was created.`);
}
