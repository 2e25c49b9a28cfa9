import { randomUUID } from 'node:crypto';
import {
  AdminUpdateUserAttributesCommand,
  DescribeUserPoolClientCommand,
  InitiateAuthCommand,
  UpdateUserPoolClientCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient, SEED_USERS, STAFF_SEED_USERS } from '@backend/local-cognito';
import { createUser, getTokens } from '@backend/local-cognito/testing';
import { testStack } from './stack-env.js';
import { waitFor } from './wait-for.js';

export interface CognitoTokens {
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

/** The test run's pools: `default` and `staff`. */
export type TestPoolName = 'default' | 'staff';

/** One of the test run's pools, for the test-suite helper (testing/local-pool.mjs) that our own tests use too. */
function testPool(pool: TestPoolName = 'default'): { endpoint: string; userPoolId: string; clientId: string } {
  const stack = testStack();
  const { userPoolId, backendClientId } = pool === 'staff' ? stack.staff : stack;
  return { endpoint: stack.emulatorEndpoint, userPoolId, clientId: backendClientId };
}

/** Signs in through the "backend" app client of the pool with AdminInitiateAuth, as the seed's flow does. */
export function signIn(username: string, password?: string, pool: TestPoolName = 'default'): Promise<CognitoTokens> {
  const seeded = pool === 'staff' ? STAFF_SEED_USERS : SEED_USERS;
  const secret = password ?? seeded.find((user) => user.username === username)?.password ?? '';
  return getTokens(username, secret, testPool(pool));
}

/**
 * InitiateAuth with USER_PASSWORD_AUTH through the AWS SDK, as a client of the pool signs in: the access
 * token, or the pool's exception as the SDK throws it (`name`, `message`: "User is disabled.").
 */
export async function passwordSignIn(username: string, password: string): Promise<string> {
  const stack = testStack();
  const cognito = emulatorClient(stack.emulatorEndpoint);
  try {
    const { AuthenticationResult } = await cognito.send(
      new InitiateAuthCommand({
        ClientId: stack.backendClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    return AuthenticationResult!.AccessToken!;
  } finally {
    cognito.destroy();
  }
}

/** A brand-new pool user (never seen by the API), with the given attributes and groups, in the default pool unless `pool` says. */
export async function createPoolUser(
  options: { groups?: string[]; attributes?: Record<string, string>; pool?: TestPoolName; username?: string } = {},
): Promise<{ username: string; password: string; sub: string }> {
  const username = options.username ?? `user-${randomUUID().slice(0, 8)}`;
  const password = 'Test-pass-1';
  const attributes = options.attributes ?? { email: `${username}@example.com`, email_verified: 'true' };
  const created = await createUser({ username, password, groups: options.groups ?? [], attributes }, testPool(options.pool));
  return { username, password, sub: created.sub };
}

/** Adds a callback URL to the seeded `web` app client (the /admin page's), keeping those it has. */
export async function allowWebCallback(url: string): Promise<void> {
  const stack = testStack();
  const cognito = emulatorClient(stack.emulatorEndpoint);
  try {
    const { UserPoolClient } = await cognito.send(
      new DescribeUserPoolClientCommand({ UserPoolId: stack.userPoolId, ClientId: stack.webClientId }),
    );
    const urls = [...new Set([...(UserPoolClient?.CallbackURLs ?? []), url])];
    await cognito.send(
      new UpdateUserPoolClientCommand({ UserPoolId: stack.userPoolId, ClientId: stack.webClientId, CallbackURLs: urls, LogoutURLs: urls }),
    );
  } finally {
    cognito.destroy();
  }
}

/** Changes a user's attributes in the pool, as an admin would in the AWS console (AdminUpdateUserAttributes). */
export async function updatePoolAttributes(username: string, attributes: Record<string, string>): Promise<void> {
  const stack = testStack();
  const cognito = emulatorClient(stack.emulatorEndpoint);
  try {
    await cognito.send(
      new AdminUpdateUserAttributesCommand({
        UserPoolId: stack.userPoolId,
        Username: username,
        UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
      }),
    );
  } finally {
    cognito.destroy();
  }
}

/** `iat` and `auth_time` have whole seconds: waits until the next second begins, so a new sign-in is told apart from the last. */
export async function nextSecond(): Promise<void> {
  const second = Math.floor(Date.now() / 1000);
  await waitFor(() => expect(Math.floor(Date.now() / 1000)).toBeGreaterThan(second), {
    timeout: 2000,
    interval: 10,
    message: 'the next second',
  });
}
