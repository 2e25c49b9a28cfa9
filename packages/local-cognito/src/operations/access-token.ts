import { type CognitoAnswer, fail, text } from '../cognito-answer.js';
import { verifyToken } from '../signing-key.js';
import { API_SCOPE } from '../token-issuer.js';
import type { OperationContext } from './context.js';

/**
 * What Cognito checks of the access token of a self-service operation (GetUser, UpdateUserAttributes,
 * GlobalSignOut…) before it runs it: a token of this pool with the API scope, its user still there and
 * enabled, its session not revoked. Undefined: the token may be used.
 */
export function accessTokenRefusal(context: OperationContext, token: unknown): CognitoAnswer | undefined {
  if (typeof token !== 'string') return undefined;
  const check = verifyToken(token);
  if (!check.ok) return fail('NotAuthorizedException', check.expired ? 'Access Token has expired' : 'Invalid Access Token');
  const { claims } = check;
  if (claims.token_use !== 'access' || typeof claims.sub !== 'string') return fail('NotAuthorizedException', 'Invalid Access Token');
  // A Hosted UI token the app did not ask the API scope for (e.g. `openid email` only) cannot call these.
  if (!text(claims.scope).split(' ').includes(API_SCOPE)) {
    return fail('NotAuthorizedException', 'Access Token does not have required scopes');
  }
  const userPoolId = text(claims.iss).split('/').pop()!;
  const user = context.state.user(userPoolId, typeof claims.username === 'string' ? claims.username : claims.sub);
  if (!user) return fail('UserNotFoundException', 'User does not exist.');
  if (user.Enabled === false) return fail('NotAuthorizedException', 'User is disabled.');
  const revoked =
    typeof claims.origin_jti === 'string'
      ? (context.sessions.session(claims.origin_jti)?.revoked ?? false)
      : (context.sessions.signedOutBefore(userPoolId, claims.sub) ?? -1) >= Number(claims.iat);
  return revoked ? fail('NotAuthorizedException', 'Access Token has been revoked') : undefined;
}
