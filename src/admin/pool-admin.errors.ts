import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../common/api-error.js';
import type { PoolProblemDto } from './dto/pool-outcome.dto.js';
import { PoolAdminError } from './pool-admin.client.js';

/** The stable code of a pool call that did not happen. */
function codeOf(error: PoolAdminError): string {
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

const STATUS: Record<string, HttpStatus> = {
  pool_admin_unavailable: HttpStatus.SERVICE_UNAVAILABLE,
  not_in_pool: HttpStatus.CONFLICT,
  group_not_found: HttpStatus.NOT_FOUND,
  user_exists: HttpStatus.CONFLICT,
  pool_refused: HttpStatus.CONFLICT,
  pool_unavailable: HttpStatus.BAD_GATEWAY,
};

/** The error answer of a route whose whole point is the pool call. Anything else is rethrown as it is. */
export function poolAdminProblem(error: unknown): unknown {
  if (!(error instanceof PoolAdminError)) return error;
  const code = codeOf(error);
  return new ApiError(STATUS[code], code, error.message, code === 'pool_admin_unavailable' ? { 'retry-after': '300' } : {});
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
