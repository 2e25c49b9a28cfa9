import { randomUUID } from 'node:crypto';
import { text } from './cognito-answer.js';
import type { Session, SessionStore } from './session-store.js';
import { claimsOf, signToken } from './signing-key.js';

/** The scope of tokens from the user-pools API (not the Hosted UI): what self-service operations need. */
export const API_SCOPE = 'aws.cognito.signin.user.admin';

/** AuthenticationResult of Cognito's JSON API. */
export interface AuthenticationResult {
  AccessToken: string;
  IdToken?: string;
  RefreshToken?: string;
  ExpiresIn: number;
  TokenType: 'Bearer';
  [other: string]: unknown;
}

const REFRESH_TOKEN_DAYS = 30;

/**
 * Gives the emulator's tokens what Cognito's carry: a session (`origin_jti`, kept through refreshes),
 * `jti`, `event_id`, `auth_time` and the API scope, re-signed with the pool's key; the refresh token
 * is the session's own, the emulator's stays inside the session.
 */
export class TokenIssuer {
  constructor(private readonly sessions: SessionStore) {}

  /** A sign-in: a new session, its tokens and first refresh token. */
  signIn(userPoolId: string, clientId: string, result: Record<string, unknown>): AuthenticationResult {
    const accessToken = text(result.AccessToken);
    const claims = claimsOf(accessToken);
    const { session, refreshToken } = this.sessions.open({
      userPoolId,
      clientId,
      sub: String(claims.sub),
      username: String(claims.username ?? claims.sub),
      authTime: Math.floor(this.sessions.clock() / 1000),
      emulatorRefreshToken: text(result.RefreshToken),
      expiresAt: this.sessions.clock() + REFRESH_TOKEN_DAYS * 86_400_000,
    });
    return { ...this.reissue(session, result), RefreshToken: refreshToken };
  }

  /** The emulator's fresh tokens (a refresh) as tokens of `session`. */
  reissue(session: Session, result: Record<string, unknown>): AuthenticationResult {
    const eventId = randomUUID();
    const session_ = { origin_jti: session.originJti, event_id: eventId, auth_time: session.authTime };
    const access = claimsOf(text(result.AccessToken));
    const accessToken = signToken({ ...access, ...session_, jti: randomUUID(), scope: API_SCOPE });
    const idToken =
      typeof result.IdToken === 'string' ? signToken({ ...claimsOf(result.IdToken), ...session_, jti: randomUUID() }) : undefined;
    const expiresIn = typeof access.exp === 'number' && typeof access.iat === 'number' ? access.exp - access.iat : 3600;
    return {
      AccessToken: accessToken,
      ...(idToken ? { IdToken: idToken } : {}),
      ExpiresIn: expiresIn,
      TokenType: 'Bearer',
    };
  }
}
