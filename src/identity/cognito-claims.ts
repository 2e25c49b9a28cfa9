/** The claims of a verified Cognito access token that this API relies on. */
export interface CognitoAccessClaims {
  sub: string;
  iss: string;
  client_id: string;
  token_use: 'access';
  exp: number;
  iat?: number;
  /** When the user signed in (kept by refreshed tokens). */
  auth_time?: number;
  username?: string;
  scope?: string;
  /** The token's own id, and its sign-in session's (kept by refreshed tokens). */
  jti?: string;
  origin_jti?: string;
  'cognito:groups'?: string[];
}

/** Far longer than the pool's ids (UUIDs); the revoked_sessions column holds no more. */
const MAX_SESSION_ID_LENGTH = 255;

function sessionId(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= MAX_SESSION_ID_LENGTH ? value : undefined;
}

/** The sign-in session a token belongs to: `origin_jti`, else the token's own `jti` (undefined without either). */
export function sessionOf(claims: CognitoAccessClaims): string | undefined {
  return sessionId(claims.origin_jti) ?? sessionId(claims.jti);
}

export function groupsOf(claims: CognitoAccessClaims): string[] {
  const groups = claims['cognito:groups'];
  return Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [];
}

/** The token's scopes (`scope` is space-separated). */
export function scopesOf(claims: CognitoAccessClaims): string[] {
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
}

/** The scope that lets a person's access token call the pool's API (GetUser) for its own user. */
export const POOL_API_SCOPE = 'aws.cognito.signin.user.admin';

/** Whether the pool answers GetUser for this token: Hosted UI tokens asked only for `openid email` cannot. */
export const canCallPool = (claims: CognitoAccessClaims): boolean => scopesOf(claims).includes(POOL_API_SCOPE);

/**
 * Client-credentials tokens carry no `username` and name the app client as their subject; every
 * token a person gets (sign-in, refresh, Hosted UI) carries their username.
 */
export function isMachineToken(claims: CognitoAccessClaims): boolean {
  return claims.username === undefined && claims.sub === claims.client_id;
}
