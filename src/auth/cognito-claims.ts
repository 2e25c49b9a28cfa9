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
