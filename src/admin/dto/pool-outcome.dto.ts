import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { POOL_ADMIN_ACTIONS } from '../pool-admin.client.js';

export const POOL_PROBLEM_CODES = ['pool_admin_unavailable', 'not_in_pool', 'pool_refused', 'pool_unavailable'] as const;

/** A pool call that did not happen, and why. */
export class PoolProblemDto {
  @ApiProperty({ enum: POOL_ADMIN_ACTIONS, description: 'The call (and IAM action, cognito-idp:<action>) that was not done' })
  action: string;
  @ApiProperty({
    enum: POOL_PROBLEM_CODES,
    description:
      'pool_admin_unavailable: this server may not make the call (no AWS credentials, or its role lacks the action); not_in_pool: the pool has no such account; pool_refused: the pool said no; pool_unavailable: the pool failed or did not answer',
  })
  code: string;
  @ApiProperty()
  message: string;
}

/** What happened in the user pool alongside the API's own change: each key says one thing done (true) or not (false, with error). */
export class PoolOutcomeDto {
  @ApiPropertyOptional({ description: 'The account was disabled in the pool (it cannot sign in to any app)' })
  disabled?: boolean;
  @ApiPropertyOptional({ description: 'The account was enabled in the pool again' })
  enabled?: boolean;
  @ApiPropertyOptional({ description: 'The account was deleted from the pool' })
  deleted?: boolean;
  @ApiPropertyOptional({ description: 'The pool sent the invitation (email with a temporary password)' })
  invitationSent?: boolean;
  @ApiPropertyOptional({ type: [String], description: 'Groups the new account was added to' })
  groups?: string[];
  @ApiPropertyOptional({ description: 'The pool reset the password and sent the person a code' })
  passwordReset?: boolean;
  @ApiPropertyOptional({ type: PoolProblemDto, description: 'The pool call that could not be done' })
  error?: PoolProblemDto;
}

/** The answer of a pool-only action (resend an invitation, reset a password). */
export class PoolActionResultDto {
  @ApiProperty({ type: PoolOutcomeDto })
  pool: PoolOutcomeDto;
  @ApiProperty({ description: 'What happened, for people' })
  message: string;
}

/** The answer of an erasure: the API's part always happened; the pool's may not have. */
export class EraseResultDto {
  @ApiProperty({ format: 'uuid' })
  id: string;
  @ApiProperty({ example: true })
  erased: boolean;
  @ApiProperty({ type: PoolOutcomeDto, example: { deleted: true } })
  pool: PoolOutcomeDto;
}
