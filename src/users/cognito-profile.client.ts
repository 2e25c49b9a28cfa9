import { Injectable } from '@nestjs/common';
import {
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  GlobalSignOutCommand,
  type AttributeType,
} from '@aws-sdk/client-cognito-identity-provider';
import { AppConfig } from '../config/app-config.js';
import { countGetUser } from '../metrics/metrics.js';

export const GET_USER_TIMEOUT_MS = 3000;

/** Cognito's limit for an attribute value, in characters; the users columns are sized for it. */
export const MAX_ATTRIBUTE_LENGTH = 2048;

/**
 * An attribute value as it can be stored: without NUL (which PostgreSQL text cannot hold) and
 * never longer than the column, counted in code points as PostgreSQL counts.
 */
export function storableAttribute(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const cleaned = value.replaceAll('\u0000', '');
  return cleaned.length <= MAX_ATTRIBUTE_LENGTH ? cleaned : Array.from(cleaned).slice(0, MAX_ATTRIBUTE_LENGTH).join('');
}

/** The pool's attributes of a user, as this API names them. */
export interface PoolProfile {
  username: string;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
}

/** What happened to a call the pool may not support or this server may not be allowed to make. */
export type PoolOutcome = 'done' | 'failed' | 'no_credentials';

/** The pool could not be asked: no AWS credentials for its admin API, or it failed. */
export class PoolCallError extends Error {
  constructor(
    readonly outcome: Exclude<PoolOutcome, 'done'>,
    message: string,
    readonly notFound = false,
  ) {
    super(message);
  }
}

function profileOf(username: string | undefined, list: AttributeType[] | undefined): PoolProfile {
  const attributes = new Map((list ?? []).map((attribute) => [attribute.Name, storableAttribute(attribute.Value)]));
  return {
    username: attributes.get('preferred_username') ?? storableAttribute(username) ?? '',
    email: attributes.get('email') ?? null,
    emailVerified: attributes.get('email_verified') === 'true',
    firstName: attributes.get('given_name') ?? null,
    lastName: attributes.get('family_name') ?? null,
  };
}

function isAwsEndpoint(endpoint: string): boolean {
  return new URL(endpoint).hostname.endsWith('.amazonaws.com');
}

/**
 * Talks to the user pool. GetUser and GlobalSignOut are authorised by the caller's own access token
 * (no AWS credentials needed; they work against the emulator and AWS alike). The admin calls
 * (AdminGetUser, AdminUserGlobalSignOut) need the server's AWS credentials (the SDK's default chain);
 * the local emulator accepts any, so outside production a non-AWS endpoint gets placeholder ones.
 */
@Injectable()
export class CognitoProfileClient {
  private readonly client: CognitoIdentityProviderClient;
  private readonly admin: CognitoIdentityProviderClient;
  private readonly userPoolId: string;
  private readonly url: string;

  constructor(config: AppConfig) {
    const { region, endpoint, userPoolId } = config.cognito;
    this.userPoolId = userPoolId;
    this.url = `${endpoint}/`;
    this.client = new CognitoIdentityProviderClient({ region, endpoint, maxAttempts: 1 });
    const emulator = !config.production && !isAwsEndpoint(endpoint);
    this.admin = new CognitoIdentityProviderClient({
      region,
      endpoint,
      maxAttempts: 1,
      ...(emulator && { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
    });
  }

  /**
   * GetUser as one plain JSON POST (no request signing needed): on a new user's first request the AWS
   * SDK's middleware stack cost more CPU than the rest of the request.
   */
  getProfile(accessToken: string): Promise<PoolProfile> {
    return countGetUser(this.fetchProfile(accessToken));
  }

  private async fetchProfile(accessToken: string): Promise<PoolProfile> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser' },
      body: JSON.stringify({ AccessToken: accessToken }),
      signal: AbortSignal.timeout(GET_USER_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) {
      const error = parse<{ __type?: string; message?: string }>(text);
      // Only the error's name and message: the answer never holds the token, but keep logs plain.
      const name = error?.__type?.split('#').pop() ?? 'UnknownError';
      throw new Error(`Cognito GetUser answered ${response.status} ${name}: ${error?.message ?? ''}`.trim());
    }
    const result = parse<{ Username?: string; UserAttributes?: AttributeType[] }>(text);
    if (!result) throw new Error('Cognito GetUser answered with something other than JSON');
    return profileOf(result.Username, result.UserAttributes);
  }

  /** Signs the caller out of the pool everywhere (its refresh tokens stop working). */
  async globalSignOut(accessToken: string): Promise<void> {
    await this.call(() =>
      this.client.send(new GlobalSignOutCommand({ AccessToken: accessToken }), { abortSignal: AbortSignal.timeout(GET_USER_TIMEOUT_MS) }),
    );
  }

  async adminGlobalSignOut(username: string): Promise<void> {
    await this.call(() =>
      this.admin.send(new AdminUserGlobalSignOutCommand({ UserPoolId: this.userPoolId, Username: username }), {
        abortSignal: AbortSignal.timeout(GET_USER_TIMEOUT_MS),
      }),
    );
  }

  async adminGetProfile(username: string): Promise<PoolProfile> {
    const result = await this.call(() =>
      this.admin.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }), {
        abortSignal: AbortSignal.timeout(GET_USER_TIMEOUT_MS),
      }),
    );
    return profileOf(result.Username, result.UserAttributes);
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const { name, message } = error instanceof Error ? error : { name: '', message: String(error) };
      if (name === 'CredentialsProviderError') {
        throw new PoolCallError('no_credentials', 'This server has no AWS credentials for the user pool admin API.');
      }
      throw new PoolCallError(
        'failed',
        `The user pool refused or failed the call (${name || 'error'}: ${message})`,
        name === 'UserNotFoundException',
      );
    }
  }
}

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
