import { randomUUID } from 'node:crypto';
import { AdminInitiateAuthCommand, DescribeUserPoolClientCommand, UpdateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient, ensureUser, SEED_USERS } from '../../src/local/local-pool.js';
import { testStack } from './stack-env.js';

export interface CognitoTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

/** Signs in through the "backend" app client with AdminInitiateAuth, as the seed's flow does. */
export async function signIn(username: string, password?: string): Promise<CognitoTokens> {
  const stack = testStack();
  const secret = password ?? SEED_USERS.find((user) => user.username === username)?.password;
  const cognito = emulatorClient(stack.emulatorEndpoint);
  try {
    const result = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: stack.userPoolId,
        ClientId: stack.backendClientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: secret ?? '' },
      }),
    );
    const tokens = result.AuthenticationResult;
    return { accessToken: tokens!.AccessToken!, idToken: tokens!.IdToken!, refreshToken: tokens!.RefreshToken! };
  } finally {
    cognito.destroy();
  }
}

/** A brand-new pool user (never seen by the API), with the given attributes and groups. */
export async function createPoolUser(
  options: { groups?: string[]; attributes?: Record<string, string> } = {},
): Promise<{ username: string; password: string }> {
  const stack = testStack();
  const username = `user-${randomUUID().slice(0, 8)}`;
  const password = 'Test-pass-1';
  const cognito = emulatorClient(stack.emulatorEndpoint);
  try {
    await ensureUser(cognito, stack.userPoolId, {
      username,
      password,
      groups: options.groups ?? [],
      attributes: options.attributes ?? { email: `${username}@example.com`, email_verified: 'true' },
    });
  } finally {
    cognito.destroy();
  }
  return { username, password };
}

/** Adds a callback URL to the seeded `web` app client (the /admin page's), keeping those it has. */
export async function allowWebCallback(url: string): Promise<void> {
  const stack = testStack();
  const cognito = emulatorClient(stack.emulatorEndpoint);
  try {
    const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: stack.userPoolId, ClientId: stack.webClientId }));
    const urls = [...new Set([...(UserPoolClient?.CallbackURLs ?? []), url])];
    await cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: stack.userPoolId, ClientId: stack.webClientId, CallbackURLs: urls, LogoutURLs: urls }));
  } finally {
    cognito.destroy();
  }
}
