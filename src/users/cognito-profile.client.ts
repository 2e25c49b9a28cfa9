import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { AttributeType, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { requestText } from '../common/http-text.js';
import { AppConfig, type CognitoSettings } from '../config/app-config.js';
import { countGetUser } from '../metrics/metrics.js';

export const GET_USER_TIMEOUT_MS = 3000;
/** Far more than any user's attributes (50 of 2,048 characters each). */
const MAX_ANSWER_BYTES = 1024 * 1024;

type Sdk = typeof import('@aws-sdk/client-cognito-identity-provider');
type SdkCommands = Pick<Sdk, 'GlobalSignOutCommand' | 'AdminUserGlobalSignOutCommand' | 'AdminGetUserCommand'>;
interface LoadedSdk {
  client: CognitoIdentityProviderClient;
  admin: CognitoIdentityProviderClient;
  commands: SdkCommands;
}

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
  /** preferred_username where the user has one, else the pool's own user name: the name people see. */
  username: string;
  /** The pool's own user name (`Username`), which its admin calls take. */
  poolUsername: string;
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
    poolUsername: storableAttribute(username) ?? '',
    email: attributes.get('email') ?? null,
    emailVerified: attributes.get('email_verified') === 'true',
    firstName: attributes.get('given_name') ?? null,
    lastName: attributes.get('family_name') ?? null,
  };
}

export function isAwsEndpoint(endpoint: string): boolean {
  return new URL(endpoint).hostname.endsWith('.amazonaws.com');
}

/** What this client keeps for one pool: its JSON API's address, kept-alive connections, and its AWS SDK clients once loaded. */
interface PoolConnection {
  settings: CognitoSettings;
  url: URL;
  agent: HttpAgent;
  /** The AWS SDK is loaded on the first sign-out or admin call: most processes never make one, and it is megabytes of heap. */
  sdk?: Promise<LoadedSdk>;
}

/**
 * Talks to the user pools, each call to the pool of the person it is about. GetUser and
 * GlobalSignOut are authorised by the caller's own access token (no AWS credentials needed; they
 * work against the emulator and AWS alike). The admin calls (AdminGetUser, AdminUserGlobalSignOut)
 * need the server's AWS credentials (the SDK's default chain); the local emulator accepts any, so
 * outside production a non-AWS endpoint gets placeholder ones.
 */
@Injectable()
export class CognitoProfileClient implements OnApplicationShutdown {
  private readonly pools: ReadonlyMap<string, PoolConnection>;

  constructor(private readonly config: AppConfig) {
    this.pools = new Map(
      config.pools.map((settings) => {
        const url = new URL(`${settings.endpoint}/`);
        // Kept-alive connections to the pool: a new user's first request should not pay for a TLS handshake.
        const agent = url.protocol === 'https:' ? new HttpsAgent({ keepAlive: true }) : new HttpAgent({ keepAlive: true });
        return [settings.name, { settings, url, agent }];
      }),
    );
  }

  /** Kept-alive connections would hold the process open after the server has closed. */
  onApplicationShutdown(): void {
    for (const pool of this.pools.values()) pool.agent.destroy();
  }

  /**
   * GetUser as one plain JSON POST over node:http (no request signing needed): on a new user's first
   * request the AWS SDK's middleware stack, and then fetch's, cost more CPU than the rest of the request.
   */
  getProfile(pool: string, accessToken: string): Promise<PoolProfile> {
    return countGetUser(this.fetchProfile(pool, accessToken));
  }

  /**
   * What the pool says of an access token (GetUser): `valid`, `revoked` (signed out, or the user is
   * gone), or `disabled`; anything else (unreachable, 5xx, a timeout) throws, and is no verdict.
   */
  async checkToken(pool: string, accessToken: string): Promise<'valid' | 'revoked' | 'disabled'> {
    const { status, text } = await this.post(
      pool,
      'AWSCognitoIdentityProviderService.GetUser',
      JSON.stringify({ AccessToken: accessToken }),
    );
    if (status === 200) return 'valid';
    const { name, message } = poolError(text);
    if (status === 400 && name === 'UserNotFoundException') return 'revoked';
    if (status === 400 && name === 'NotAuthorizedException') {
      if (/revoked/i.test(message)) return 'revoked';
      if (/disabled/i.test(message)) return 'disabled';
    }
    throw new Error(`Cognito GetUser answered ${status} ${name}: ${message}`.trim());
  }

  private async fetchProfile(pool: string, accessToken: string): Promise<PoolProfile> {
    const { status, text } = await this.post(
      pool,
      'AWSCognitoIdentityProviderService.GetUser',
      JSON.stringify({ AccessToken: accessToken }),
    );
    if (status !== 200) {
      // Only the error's name and message: the answer never holds the token, but keep logs plain.
      const { name, message } = poolError(text);
      throw new Error(`Cognito GetUser answered ${status} ${name}: ${message}`.trim());
    }
    const result = parse<{ Username?: string; UserAttributes?: AttributeType[] }>(text);
    if (!result) throw new Error('Cognito GetUser answered with something other than JSON');
    return profileOf(result.Username, result.UserAttributes);
  }

  /** The pool by name; a person's row may name one that is no longer configured. */
  private connection(pool: string): PoolConnection {
    const connection = this.pools.get(pool);
    if (!connection) throw new PoolCallError('failed', `The user pool "${pool}" is not configured on this server.`);
    return connection;
  }

  /** One call of the pool's JSON API, bounded by GET_USER_TIMEOUT_MS from start to the last byte. */
  private async post(pool: string, target: string, body: string): Promise<{ status: number; text: string }> {
    const { url, agent } = this.connection(pool);
    return requestText(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body,
      timeoutMs: GET_USER_TIMEOUT_MS,
      maxBytes: MAX_ANSWER_BYTES,
    });
  }

  private loadSdk(connection: PoolConnection) {
    connection.sdk ??= import('@aws-sdk/client-cognito-identity-provider').then((sdk) => {
      const { region, endpoint } = connection.settings;
      const emulator = !this.config.production && !isAwsEndpoint(endpoint);
      return {
        client: new sdk.CognitoIdentityProviderClient({ region, endpoint, maxAttempts: 1 }),
        admin: new sdk.CognitoIdentityProviderClient({
          region,
          endpoint,
          maxAttempts: 1,
          ...(emulator && { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
        }),
        commands: {
          GlobalSignOutCommand: sdk.GlobalSignOutCommand,
          AdminUserGlobalSignOutCommand: sdk.AdminUserGlobalSignOutCommand,
          AdminGetUserCommand: sdk.AdminGetUserCommand,
        },
      };
    });
    return connection.sdk;
  }

  /** Signs the caller out of their pool everywhere (its refresh tokens stop working). */
  async globalSignOut(pool: string, accessToken: string): Promise<void> {
    await this.call(pool, ({ client, commands }, options) =>
      client.send(new commands.GlobalSignOutCommand({ AccessToken: accessToken }), options),
    );
  }

  async adminGlobalSignOut(pool: string, username: string): Promise<void> {
    await this.call(pool, ({ admin, commands }, options, userPoolId) =>
      admin.send(new commands.AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: username }), options),
    );
  }

  async adminGetProfile(pool: string, username: string): Promise<PoolProfile> {
    const result = await this.call(pool, ({ admin, commands }, options, userPoolId) =>
      admin.send(new commands.AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }), options),
    );
    return profileOf(result.Username, result.UserAttributes);
  }

  /** One AWS SDK call to a pool, with the SDK loaded first, bounded by GET_USER_TIMEOUT_MS, its failure as a PoolCallError. */
  private async call<T>(
    pool: string,
    send: (sdk: LoadedSdk, options: { abortSignal: AbortSignal }, userPoolId: string) => Promise<T>,
  ): Promise<T> {
    const connection = this.connection(pool);
    try {
      return await send(
        await this.loadSdk(connection),
        { abortSignal: AbortSignal.timeout(GET_USER_TIMEOUT_MS) },
        connection.settings.userPoolId,
      );
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

/** A pool's error answer: the exception's name (its `__type` without the namespace) and message. */
function poolError(text: string): { name: string; message: string } {
  const error = parse<{ __type?: string; message?: string }>(text);
  return { name: error?.__type?.split('#').pop() ?? 'UnknownError', message: error?.message ?? '' };
}
