import type { User } from '../users/user.entity.js';
import type { VerifiedToken } from './verified-token.js';

/**
 * What the auth guard needs from the users module: the row of a person (their pool and `sub`),
 * created on first sight.
 * An abstract class so that it is its own injection token; UsersModule provides it, and the
 * guard depends on this contract instead of on the users module.
 */
export abstract class UserAccounts {
  abstract resolve(token: VerifiedToken, accessToken: string): Promise<User> | User;
  /** Throws `token_revoked` for a token of a revoked session or issued before the user's last "sign out everywhere". */
  abstract assertTokenCurrent(user: User, token: VerifiedToken): void;
}
