import { type CognitoAnswer, fail, text, WRONG_CREDENTIALS } from '../cognito-answer.js';
import { PASSWORD_RESET_REQUIRED } from '../password-resets.js';
import { asCognitoRefusal, passwordMatches } from '../password-sign-in.js';
import { claimsOf } from '../signing-key.js';
import type { Operation, OperationContext, Params } from './context.js';
import { emulatorAnswer, errorType } from './emulator-answer.js';
import { refreshTokenAuth } from './refresh.js';

const REFRESH_FLOWS = ['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'];

/**
 * Tokens of a finished sign-in become the tokens of a new session (origin_jti, jti, event_id,
 * auth_time, the API scope); a challenge passes as it is. A disabled user gets no tokens, nor a user
 * whose password an administrator reset.
 */
export async function signedIn(context: OperationContext, clientId: string, answer: CognitoAnswer): Promise<CognitoAnswer> {
  if (answer.status !== 200) return answer;
  const body = answer.body as Record<string, unknown>;
  const result = body.AuthenticationResult as Record<string, unknown> | undefined;
  const client = context.state.client(clientId);
  if (!result?.AccessToken || !client) return answer;
  const { username } = claimsOf(text(result.AccessToken));
  const user = context.state.user(client.UserPoolId, text(username));
  if (user?.Enabled === false) return fail('NotAuthorizedException', 'User is disabled.');
  // As Cognito: once the password proved who it is, a user an administrator reset is sent to reset it.
  if (context.resets.required(client.UserPoolId, user)) return fail(PASSWORD_RESET_REQUIRED.type, PASSWORD_RESET_REQUIRED.message);
  return {
    status: 200,
    body: {
      ...body,
      ChallengeParameters: body.ChallengeParameters ?? {},
      AuthenticationResult: await context.tokens.signIn(client.UserPoolId, clientId, result),
    },
  };
}

/** A password sign-in answered by the emulator, with Cognito's refusals (one for a wrong password and an unknown user). */
async function passwordSignIn(context: OperationContext, target: string, params: Params): Promise<CognitoAnswer> {
  const response = await context.emulator(target, params);
  if (response.status !== 200) {
    return response.status < 500
      ? asCognitoRefusal(errorType(response.json), text(response.json.message) || 'The sign-in was refused')
      : emulatorAnswer(target, response);
  }
  if (response.json.ChallengeName === 'NEW_PASSWORD_REQUIRED' && !passwordMatches(context.state, params)) return WRONG_CREDENTIALS;
  return signedIn(context, text(params.ClientId), { status: 200, body: response.json });
}

const initiateAuth: Operation = async (context, params) => {
  const flow = text(params.AuthFlow);
  if (REFRESH_FLOWS.includes(flow)) return refreshTokenAuth(context, params);
  if (flow === 'USER_SRP_AUTH') return context.srp.initiate(params);
  if (flow === 'USER_AUTH') return signedIn(context, text(params.ClientId), await context.userAuth.initiate(params));
  if (flow === 'USER_PASSWORD_AUTH') return passwordSignIn(context, 'InitiateAuth', params);
  return undefined;
};

const adminInitiateAuth: Operation = async (context, params) => {
  const flow = text(params.AuthFlow);
  if (REFRESH_FLOWS.includes(flow)) return refreshTokenAuth(context, params);
  if (flow === 'ADMIN_USER_PASSWORD_AUTH') return passwordSignIn(context, 'AdminInitiateAuth', params);
  return undefined;
};

/** USER_AUTH's challenges and PASSWORD_VERIFIER (SRP) here; other challenges (NEW_PASSWORD_REQUIRED, MFA) in the emulator; tokens of either become a session's. */
const respondToAuthChallenge =
  (target: string): Operation =>
  async (context, params) => {
    const choiceBased = target === 'RespondToAuthChallenge' ? await context.userAuth.respond(params) : undefined;
    if (choiceBased) return signedIn(context, text(params.ClientId), choiceBased);
    const answer =
      target === 'RespondToAuthChallenge' && params.ChallengeName === 'PASSWORD_VERIFIER'
        ? await context.srp.respond(params)
        : emulatorAnswer(target, await context.emulator(target, params));
    return signedIn(context, text(params.ClientId), answer);
  };

export const signInOperations: Record<string, Operation> = {
  InitiateAuth: initiateAuth,
  AdminInitiateAuth: adminInitiateAuth,
  RespondToAuthChallenge: respondToAuthChallenge('RespondToAuthChallenge'),
  AdminRespondToAuthChallenge: respondToAuthChallenge('AdminRespondToAuthChallenge'),
};
