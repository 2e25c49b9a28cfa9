import { ApiProperty } from '@nestjs/swagger';

/** The answer of a sign-out of the caller's session. */
export class SignOutDto {
  @ApiProperty({
    type: String,
    format: 'date-time',
    description:
      "The session's tokens (same origin_jti) get 401 token_revoked on every instance until this instant, when its last known token expires",
  })
  refusedUntil: Date;

  @ApiProperty({ description: 'What happened, for people' })
  message: string;

  static of(refusedUntil: Date): SignOutDto {
    const message =
      "This sign-in session's tokens are refused (401 token_revoked) by every instance of this API; the user's other sessions keep working. " +
      "Revoke the session's refresh token at the pool too (Amplify's signOut()).";
    return Object.assign(new SignOutDto(), { refusedUntil, message });
  }
}
