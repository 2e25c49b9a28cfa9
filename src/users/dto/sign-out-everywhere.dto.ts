import { ApiProperty } from '@nestjs/swagger';
import type { PoolOutcome } from '../cognito-profile.client.js';

/** The answer of a sign-out everywhere: the API-side revocation always happens; the pool's may not. */
export class SignOutEverywhereDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    description: 'Access tokens issued (iat) before this instant get 401 token_revoked on every instance; a new sign-in works at once',
  })
  revokedBefore: Date;

  @ApiProperty({
    enum: ['done', 'failed', 'no_credentials'],
    description:
      "The pool's own global sign-out (its refresh tokens stop working): done; failed (the pool refused it, e.g. the local emulator, which does not support it); no_credentials (admin route on a server without AWS credentials)",
  })
  poolSignOut: PoolOutcome;

  @ApiProperty({ description: 'What happened, for people' })
  message: string;

  static of(revokedBefore: Date, poolSignOut: PoolOutcome, poolProblem?: string): SignOutEverywhereDto {
    const revoked = `Tokens issued before ${revokedBefore.toISOString()} are refused (401 token_revoked) by every instance of this API.`;
    const pool =
      poolSignOut === 'done'
        ? ' The user pool has signed the user out too: refresh tokens no longer work.'
        : ` The user pool's global sign-out did not happen (${poolProblem ?? poolSignOut}): refresh tokens keep working until they expire, but tokens they give are issued later and accepted.`;
    return Object.assign(new SignOutEverywhereDto(), { revokedBefore, poolSignOut, message: revoked + pool });
  }
}
