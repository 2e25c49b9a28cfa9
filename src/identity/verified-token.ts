import type { CognitoSettings } from '../config/app-config.js';
import { canCallPool, sessionOf, type CognitoAccessClaims } from './cognito-claims.js';

/**
 * A person's or a session's key across pools: "<pool> <id>", as the database's notifications name
 * them (a pool name holds no space, so two pools never share a key).
 */
export function keyInPool(pool: string, id: string): string {
  return `${pool} ${id}`;
}

/**
 * A token that passed every check, with the keys its requests are looked up by. Worked out once per
 * token: the verified-token cache keeps this object, so that a repeated token builds no key string
 * (nor hashes one anew) and splits no scope on its way through the guard.
 */
export interface VerifiedToken {
  claims: CognitoAccessClaims;
  /** The pool its exact `iss` names. */
  pool: CognitoSettings;
  /** The person's key ("<pool> <sub>"): user cache, change notifications, profile fills. */
  person: string;
  /** The sign-in session's key ("<pool> <origin_jti or jti>"): revoked sessions and rechecks; undefined without either. */
  session: string | undefined;
  /** Whether the pool answers GetUser for this token (its scope holds aws.cognito.signin.user.admin). */
  poolCallable: boolean;
  /**
   * Until when (epoch ms) the session needs no recheck, as the rechecks last found it: their note on
   * the token, so that a repeated token skips their lookup until then.
   */
  recheckQuietUntil: number;
}

export function verifiedToken(claims: CognitoAccessClaims, pool: CognitoSettings): VerifiedToken {
  const sessionId = sessionOf(claims);
  return {
    claims,
    pool,
    person: keyInPool(pool.name, claims.sub),
    session: sessionId === undefined ? undefined : keyInPool(pool.name, sessionId),
    poolCallable: canCallPool(claims),
    recheckQuietUntil: 0,
  };
}
