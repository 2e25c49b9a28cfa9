import {
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  type CognitoIdentityProviderClient,
  UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { secretHash } from '../secret-hash.js';

export interface SignInRequest {
  userPoolId: string;
  clientId: string;
  clientSecret?: string;
  username: string;
  password: string;
}

/** What `npm run token -- <username> --json` prints. */
export interface IssuedTokens {
  username: string;
  tokenType: 'Bearer';
  /** Seconds the access token is valid from now. */
  expiresIn: number;
  /** When the access (and id) token expires, ISO 8601. */
  expiresAt: string;
  accessToken: string;
  idToken: string;
  refreshToken: string;
}

/** A failure explained for the person at the terminal; never carries the password. */
export class SignInError extends Error {
  override name = 'SignInError';
}

const CHALLENGE_HINTS: Record<string, string> = {
  NEW_PASSWORD_REQUIRED:
    'the user still has a temporary password; give it a permanent one (aws cognito-idp admin-set-user-password --permanent) and retry',
  SMS_MFA: 'this command cannot answer MFA; use a test user without MFA',
  SOFTWARE_TOKEN_MFA: 'this command cannot answer MFA; use a test user without MFA',
  EMAIL_OTP: 'this command cannot answer MFA; use a test user without MFA',
  MFA_SETUP: 'the pool requires MFA set-up first; use a test user without MFA',
  SELECT_MFA_TYPE: 'this command cannot answer MFA; use a test user without MFA',
};

/**
 * The seed's flow: AdminInitiateAuth with ADMIN_USER_PASSWORD_AUTH through an app client that
 * allows it, with the SECRET_HASH when the client has a secret.
 */
export async function signInWithPassword(cognito: CognitoIdentityProviderClient, request: SignInRequest): Promise<IssuedTokens> {
  const { userPoolId, clientId, clientSecret, username, password } = request;
  let result;
  try {
    result = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: userPoolId,
        ClientId: clientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: {
          USERNAME: username,
          PASSWORD: password,
          ...(clientSecret ? { SECRET_HASH: secretHash(username, clientId, clientSecret) } : {}),
        },
      }),
    );
  } catch (error) {
    throw await explain(error, cognito, request);
  }
  const tokens = result.AuthenticationResult;
  if (!tokens?.AccessToken || !tokens.IdToken) {
    const challenge = result.ChallengeName ?? 'unknown';
    throw new SignInError(
      `Cognito asks for the ${challenge} challenge instead of issuing tokens: ${CHALLENGE_HINTS[challenge] ?? 'this command cannot answer challenges'}.`,
    );
  }
  const expiresAt = expiryOf(tokens.AccessToken);
  return {
    username,
    tokenType: 'Bearer',
    expiresIn: tokens.ExpiresIn ?? Math.max(0, expiresAt - Math.floor(Date.now() / 1000)),
    expiresAt: new Date(expiresAt * 1000).toISOString(),
    accessToken: tokens.AccessToken,
    idToken: tokens.IdToken,
    // Cognito leaves it out only when refreshing; a password sign-in always has one.
    refreshToken: tokens.RefreshToken ?? '',
  };
}

/** True when the pool has no such user; undefined when the question cannot be answered (no permission). */
export async function userMissing(
  cognito: CognitoIdentityProviderClient,
  userPoolId: string,
  username: string,
): Promise<boolean | undefined> {
  try {
    await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    return false;
  } catch (error) {
    return error instanceof UserNotFoundException ? true : undefined;
  }
}

export function isConnectionFailure(error: unknown): boolean {
  const { code, name, message } = (error ?? {}) as { code?: string; name?: string; message?: string };
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT'].includes(code ?? '') ||
    name === 'TimeoutError' ||
    /ECONNREFUSED|fetch failed|socket hang up/.test(message ?? '')
  );
}

async function explain(error: unknown, cognito: CognitoIdentityProviderClient, request: SignInRequest): Promise<Error> {
  const { name = '', message = String(error) } = error as { name?: string; message?: string };
  const { username, userPoolId, clientId } = request;
  const user = `"${username}"`;
  switch (name) {
    case 'UserNotFoundException':
      return new SignInError(`No user ${user} in the pool ${userPoolId}.`);
    case 'NotAuthorizedException':
    case 'InvalidPasswordException':
      if (/SECRET_HASH/i.test(message)) {
        return new SignInError(`The app client ${clientId} has a secret: set COGNITO_BACKEND_CLIENT_SECRET (Cognito: ${message})`);
      }
      if (/secret hash/i.test(message)) {
        return new SignInError(`COGNITO_BACKEND_CLIENT_SECRET is not the secret of the app client ${clientId} (Cognito: ${message})`);
      }
      if (/disabled/i.test(message)) return new SignInError(`The user ${user} is disabled in the pool ${userPoolId}.`);
      switch (await userMissing(cognito, userPoolId, username)) {
        case true:
          return new SignInError(`No user ${user} in the pool ${userPoolId}.`);
        case false:
          return new SignInError(`Wrong password for ${user}.`);
        default:
          return new SignInError(`Wrong username or password for ${user} (Cognito: ${message})`);
      }
    case 'UserNotConfirmedException':
      return new SignInError(`The user ${user} is not confirmed yet (aws cognito-idp admin-confirm-sign-up confirms it).`);
    case 'PasswordResetRequiredException':
      return new SignInError(`The user ${user} must reset the password first.`);
    case 'InvalidParameterException':
      if (/auth flow not enabled/i.test(message)) {
        return new SignInError(
          `The app client ${clientId} does not allow this sign-in: enable ALLOW_ADMIN_USER_PASSWORD_AUTH in its authentication flows (Cognito: ${message})`,
        );
      }
      return new SignInError(`Cognito refused the request: ${message}`);
    case 'ResourceNotFoundException':
      return new SignInError(`Cognito: ${message} (check COGNITO_USER_POOL_ID, COGNITO_BACKEND_CLIENT_ID and COGNITO_REGION)`);
    case 'CredentialsProviderError':
      return new SignInError(
        'No AWS credentials found. The token command uses the AWS SDK default chain: AWS_PROFILE (with `aws sso login`), ' +
          `AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, or an instance/task role. (${message})`,
      );
    case 'AccessDeniedException':
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
      return new SignInError(`AWS refused the credentials: ${message} (they need cognito-idp:AdminInitiateAuth on the pool)`);
    default:
      return error instanceof Error ? error : new Error(message);
  }
}

function expiryOf(jwt: string): number {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: number };
  if (typeof payload.exp !== 'number') throw new SignInError('Cognito issued an access token without "exp"');
  return payload.exp;
}
