import { type CognitoAnswer, fail, text } from '../cognito-answer.js';
import type { Operation, OperationContext, Params } from './context.js';
import { emulatorAnswer } from './emulator-answer.js';

/**
 * A refresh of a session by one of its refresh tokens: fresh claims from the emulator (groups and
 * attributes as they are now), the session's `origin_jti` and `auth_time`; with `rotate` and a
 * rotating client, a new refresh token, the submitted one working for the client's grace period.
 */
export async function refreshSession(
  context: OperationContext,
  clientId: string,
  refreshToken: string,
  rotate: boolean,
): Promise<CognitoAnswer> {
  const client = context.state.client(clientId);
  if (!client) return fail('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
  const found = refreshToken ? context.sessions.findRefreshToken(refreshToken) : undefined;
  if (!found || found.session.clientId !== clientId) return fail('NotAuthorizedException', 'Invalid Refresh Token');
  const { session, retiredAt } = found;
  const now = context.sessions.clock();
  if (session.revoked) return fail('NotAuthorizedException', 'Refresh Token has been revoked');
  if (session.expiresAt <= now) return fail('NotAuthorizedException', 'Refresh Token has expired');
  if (retiredAt !== undefined && retiredAt <= now) {
    return fail('RefreshTokenReuseException', 'Refresh Token has been rotated: sign in again, or refresh with the newest refresh token');
  }
  const user = context.state.user(session.userPoolId, session.username);
  if (!user) return fail('NotAuthorizedException', 'User does not exist.');
  if (user.Enabled === false) return fail('NotAuthorizedException', 'User is disabled.');

  const response = await context.emulator('AdminInitiateAuth', {
    UserPoolId: session.userPoolId,
    ClientId: clientId,
    AuthFlow: 'REFRESH_TOKEN_AUTH',
    AuthParameters: { REFRESH_TOKEN: session.emulatorRefreshToken },
  });
  const result = (response.json.AuthenticationResult ?? undefined) as Record<string, unknown> | undefined;
  if (response.status !== 200 || !result) return emulatorAnswer('GetTokensFromRefreshToken', response);
  const tokens = await context.tokens.reissue(session, result);
  const grace = context.clients.graceOf(clientId);
  if (rotate && grace !== undefined) tokens.RefreshToken = context.sessions.rotate(session, refreshToken, grace);
  return { status: 200, body: { AuthenticationResult: tokens } };
}

/** InitiateAuth / AdminInitiateAuth with REFRESH_TOKEN_AUTH: refused for clients that rotate refresh tokens, as Cognito refuses it. */
export async function refreshTokenAuth(context: OperationContext, params: Params): Promise<CognitoAnswer> {
  const clientId = text(params.ClientId);
  if (context.clients.graceOf(clientId) !== undefined) {
    return fail(
      'InvalidParameterException',
      'REFRESH_TOKEN_AUTH is not allowed for an app client with refresh token rotation: refresh with GetTokensFromRefreshToken',
    );
  }
  const auth = (params.AuthParameters ?? {}) as Record<string, unknown>;
  const answer = await refreshSession(context, clientId, text(auth.REFRESH_TOKEN), false);
  return answer.status === 200 ? { status: 200, body: { ChallengeParameters: {}, ...answer.body } } : answer;
}

const getTokensFromRefreshToken: Operation = async (context, params) => {
  const clientId = text(params.ClientId);
  const client = context.state.client(clientId);
  if (client?.ClientSecret && text(params.ClientSecret) !== client.ClientSecret) {
    return fail('NotAuthorizedException', `Client ${clientId} is configured with secret but ClientSecret was not received or is wrong`);
  }
  return refreshSession(context, clientId, text(params.RefreshToken), true);
};

export const refreshOperations: Record<string, Operation> = {
  GetTokensFromRefreshToken: getTokensFromRefreshToken,
};
