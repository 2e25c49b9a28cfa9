import { type CognitoAnswer, fail, text, WRONG_CREDENTIALS } from './cognito-answer.js';
import type { EmulatorState } from './emulator-state.js';

/**
 * Whether the password of a sign-in (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH) is the user's:
 * the emulator asks a user with a temporary password for a new one before it checks the password,
 * which Cognito never does.
 */
export function passwordMatches(state: EmulatorState, params: Record<string, unknown>): boolean {
  const client = state.client(text(params.ClientId));
  const auth = (params.AuthParameters ?? {}) as Record<string, unknown>;
  const user = client && state.user(client.UserPoolId, text(auth.USERNAME));
  return Boolean(user?.Password) && user?.Password === auth.PASSWORD;
}

/** The emulator's refusals of a password sign-in, as Cognito words them. */
export function asCognitoRefusal(type: string, message: string): CognitoAnswer {
  if (type === 'InvalidPasswordException' || type === 'UserNotFoundException') return WRONG_CREDENTIALS;
  if (type === 'NotAuthorizedException' && message === 'User not authorized') return WRONG_CREDENTIALS;
  return fail(type, message);
}
