import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import identity from 'amazon-cognito-identity-js';
import { testStack } from './stack-env.js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = identity;

/** The temporary password the local pool generated for an invited user, read from its state (cognito-local keeps it in clear). */
export function temporaryPasswordOf(username: string): string {
  const stack = testStack();
  const state = JSON.parse(readFileSync(join(stack.poolStateDir, `${stack.userPoolId}.json`), 'utf8')) as {
    Users?: Record<string, { Password?: string }>;
  };
  const password = state.Users?.[username]?.Password;
  if (!password) throw new Error(`The local pool has no password for ${username}`);
  return password;
}

export interface FirstSignIn {
  /** The challenge the sign-in with the temporary password answered. */
  challenge: string;
  accessToken: string;
}

/**
 * An invited person's first sign-in as an SPA makes it with amazon-cognito-identity-js: the
 * temporary password gets NEW_PASSWORD_REQUIRED, and completeNewPasswordChallenge sets theirs.
 */
export function firstSignIn(username: string, temporaryPassword: string, newPassword: string): Promise<FirstSignIn> {
  const stack = testStack();
  const pool = new CognitoUserPool({ UserPoolId: stack.userPoolId, ClientId: stack.webClientId, endpoint: stack.emulatorEndpoint });
  const user = new CognitoUser({ Username: username, Pool: pool });
  user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
  return new Promise((resolve, reject) => {
    let challenge = 'none';
    const callbacks = {
      onSuccess: (session: identity.CognitoUserSession) => resolve({ challenge, accessToken: session.getAccessToken().getJwtToken() }),
      onFailure: reject,
      newPasswordRequired: () => {
        challenge = 'NEW_PASSWORD_REQUIRED';
        user.completeNewPasswordChallenge(newPassword, {}, callbacks);
      },
    };
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: temporaryPassword }), callbacks);
  });
}
