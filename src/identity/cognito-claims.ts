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
  'cognito:groups'?: string[];
}

export function groupsOf(claims: CognitoAccessClaims): string[] {
  const groups = claims['cognito:groups'];
  return Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [];
}

/** The token's scopes (`scope` is space-separated). */
export function scopesOf(claims: CognitoAccessClaims): string[] {
  return typeof claims.scope === 'string' ? claims.scope.split(' ').filter(Boolean) : [];
}

/**
 * Client-credentials tokens carry no `username` and name the app client as their subject; every
 * token a person gets (sign-in, refresh, Hosted UI) carries their username.
 */
export function isMachineToken(claims: CognitoAccessClaims): boolean {
  return claims.username === undefined && claims.sub === claims.client_id;
}
