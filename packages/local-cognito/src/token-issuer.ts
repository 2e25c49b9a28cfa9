import { randomUUID } from 'node:crypto';
import { text } from './cognito-answer.js';
import type { EmulatorState } from './emulator-state.js';
import { applyOverrides, type PreTokenHook, preTokenEvent } from './pre-token-hook.js';
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
 * is the session's own, the emulator's stays inside the session. A pre-token-generation hook, when
 * given, customizes both tokens first.
 */
export class TokenIssuer {
  constructor(
    private readonly sessions: SessionStore,
    private readonly state?: EmulatorState,
    private readonly hook?: PreTokenHook,
  ) {}

  /**
   * A sign-in: a new session, its tokens and first refresh token; the Hosted UI's is
   * TokenGeneration_HostedAuth to the hook, with the scopes the app was granted.
   */
  async signIn(
    userPoolId: string,
    clientId: string,
    result: Record<string, unknown>,
    triggerSource = 'TokenGeneration_Authentication',
    scope = API_SCOPE,
  ): Promise<AuthenticationResult> {
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
      scope,
    });
    try {
      const tokens = await this.reissue(session, result, triggerSource);
      return { ...tokens, RefreshToken: refreshToken };
    } catch (error) {
      // A failed hook leaves no session behind: the sign-in did not happen.
      this.sessions.revoke(session);
      throw error;
    }
  }

  /** The emulator's fresh tokens (a refresh) as tokens of `session`. */
  async reissue(
    session: Session,
    result: Record<string, unknown>,
    triggerSource = 'TokenGeneration_RefreshTokens',
  ): Promise<AuthenticationResult> {
    const eventId = randomUUID();
    const session_ = { origin_jti: session.originJti, event_id: eventId, auth_time: session.authTime };
    const access = claimsOf(text(result.AccessToken));
    const id = typeof result.IdToken === 'string' ? { ...claimsOf(result.IdToken), ...session_, jti: randomUUID() } : undefined;
    const custom = await this.customize(session, triggerSource, id, {
      ...access,
      ...session_,
      jti: randomUUID(),
      scope: session.scope ?? API_SCOPE,
    });
    const expiresIn = typeof access.exp === 'number' && typeof access.iat === 'number' ? access.exp - access.iat : 3600;
    return {
      AccessToken: signToken(custom.access),
      ...(custom.id ? { IdToken: signToken(custom.id) } : {}),
      ExpiresIn: expiresIn,
      TokenType: 'Bearer',
    };
  }

  private async customize(
    session: Session,
    triggerSource: string,
    id: Record<string, unknown> | undefined,
    access: Record<string, unknown>,
  ): Promise<{ id?: Record<string, unknown>; access: Record<string, unknown> }> {
    if (!this.hook) return { id, access };
    const user = this.state?.user(session.userPoolId, session.username);
    const userAttributes = Object.fromEntries((user?.Attributes ?? []).map(({ Name, Value }) => [Name, Value ?? '']));
    const groups = Array.isArray(access['cognito:groups']) ? (access['cognito:groups'] as string[]) : [];
    const event = preTokenEvent({
      triggerSource,
      userPoolId: session.userPoolId,
      clientId: session.clientId,
      userName: session.username,
      userAttributes: { ...userAttributes, 'cognito:user_status': user?.UserStatus ?? 'CONFIRMED' },
      groups,
      scopes: String(access.scope).split(' '),
    });
    const answer = await this.hook(event);
    return applyOverrides(id, access, answer.response?.claimsAndScopeOverrideDetails);
  }
}
