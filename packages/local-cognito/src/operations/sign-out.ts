import { fail, text } from '../cognito-answer.js';
import { claimsOf } from '../signing-key.js';
import type { Operation } from './context.js';

/** RevokeToken: the refresh token's session, and with it every access token of that session. */
const revokeToken: Operation = (context, params) => {
  const token = text(params.Token);
  const clientId = text(params.ClientId);
  const client = context.state.client(clientId);
  if (!client) return fail('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  if (client.ClientSecret && text(params.ClientSecret) !== client.ClientSecret) {
    return fail('NotAuthorizedException', `Client ${clientId} is configured with secret but ClientSecret was not received or is wrong`);
  }
  if (token.split('.').length === 3) return fail('UnsupportedTokenTypeException', 'Only refresh tokens can be revoked.');
  const found = context.sessions.findRefreshToken(token);
  // RFC 7009: revoking a token that is unknown (or already revoked) succeeds.
  if (!found) return { status: 200, body: {} };
  if (found.session.clientId !== clientId) return fail('UnauthorizedException', 'The refresh token was not issued to this app client.');
  context.sessions.revoke(found.session);
  return { status: 200, body: {} };
};

/** GlobalSignOut: every session of the access token's user (the token itself was checked first). */
const globalSignOut: Operation = (context, params) => {
  const claims = claimsOf(text(params.AccessToken));
  const userPoolId = text(claims.iss).split('/').pop()!;
  context.sessions.revokeUser(userPoolId, String(claims.sub));
  return { status: 200, body: {} };
};

const adminUserGlobalSignOut: Operation = (context, params) => {
  const userPoolId = text(params.UserPoolId);
  const user = context.state.user(userPoolId, text(params.Username));
  const sub = user?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  if (!user || !sub) return fail('UserNotFoundException', 'User does not exist.');
  context.sessions.revokeUser(userPoolId, sub);
  return { status: 200, body: {} };
};

export const signOutOperations: Record<string, Operation> = {
  RevokeToken: revokeToken,
  GlobalSignOut: globalSignOut,
  AdminUserGlobalSignOut: adminUserGlobalSignOut,
};
