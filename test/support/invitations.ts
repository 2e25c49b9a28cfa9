import identity from 'amazon-cognito-identity-js';
import { latestCode } from '@backend/local-cognito/testing';
import { testStack } from './stack-env.js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = identity;

/** The latest code the local pool "sent" this user of this kind (an invitation's is its temporary password), from its outbox. */
export async function outboxCode(username: string, kind: 'invitation' | 'forgot-password'): Promise<string> {
  const code = await latestCode(username, { endpoint: testStack().emulatorEndpoint, kind });
  if (!code) throw new Error(`The local pool's outbox has no ${kind} for ${username}`);
  return code;
}

/** ConfirmForgotPassword with the code, as amazon-cognito-identity-js's confirmPassword sends it. */
export function confirmNewPassword(username: string, code: string, newPassword: string): Promise<void> {
  const user = new CognitoUser({ Username: username, Pool: webPool() });
  return new Promise((resolve, reject) => user.confirmPassword(code, newPassword, { onSuccess: () => resolve(), onFailure: reject }));
}

function webPool(): identity.CognitoUserPool {
  const stack = testStack();
  return new CognitoUserPool({ UserPoolId: stack.userPoolId, ClientId: stack.webClientId, endpoint: stack.emulatorEndpoint });
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
  const user = new CognitoUser({ Username: username, Pool: webPool() });
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
