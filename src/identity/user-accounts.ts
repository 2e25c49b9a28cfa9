import type { User } from '../users/user.entity.js';
import type { CognitoAccessClaims } from './cognito-claims.js';

/**
 * What the auth guard needs from the users module: the row of a person (their pool and `sub`),
 * created on first sight.
 * An abstract class so that it is its own injection token; UsersModule provides it, and the
 * guard depends on this contract instead of on the users module.
 */
export abstract class UserAccounts {
  /** `pool`: the name of the pool that issued the token. */
  abstract resolve(claims: CognitoAccessClaims, accessToken: string, pool: string): Promise<User> | User;
  /** Throws `token_revoked` for a token issued before the user's last "sign out everywhere". */
  abstract assertTokenCurrent(user: User, claims: CognitoAccessClaims): void;
}
