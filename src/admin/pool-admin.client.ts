import { Injectable } from '@nestjs/common';
import type { AttributeType, CognitoIdentityProviderClient, GroupType, UserType } from '@aws-sdk/client-cognito-identity-provider';
import { AppConfig, type CognitoSettings } from '../config/app-config.js';
import { UserPools } from '../config/user-pools.js';
import { GET_USER_TIMEOUT_MS, isAwsEndpoint } from '../users/cognito-profile.client.js';

/** Every pool call the admin features make, by its IAM action name (`cognito-idp:<action>`). */
export const POOL_ADMIN_ACTIONS = [
  'AdminCreateUser',
  'ListUsers',
  'ListGroups',
  'AdminListGroupsForUser',
  'AdminAddUserToGroup',
  'AdminRemoveUserFromGroup',
  'AdminDisableUser',
  'AdminEnableUser',
  'AdminResetUserPassword',
  'AdminDeleteUser',
] as const;
export type PoolAdminAction = (typeof POOL_ADMIN_ACTIONS)[number];

/**
 * Why a pool call did not happen: `denied` (no AWS credentials, or the server's role lacks the IAM
 * action), `not_found` (no such user or group), `refused` (the pool said no, e.g. the user exists),
 * `failed` (timeout, network, the pool's own error).
 */
export type PoolAdminFailure = 'denied' | 'not_found' | 'refused' | 'failed';

export class PoolAdminError extends Error {
  constructor(
    readonly action: PoolAdminAction,
    readonly failure: PoolAdminFailure,
    /** The pool's exception name, e.g. AccessDeniedException. */
    readonly poolError: string,
    message: string,
  ) {
    super(message);
  }
}

/** Exceptions that mean "this server may not make the call", whatever the call. */
const DENIALS = new Set([
  'AccessDeniedException',
  'CredentialsProviderError',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'ExpiredTokenException',
  'IncompleteSignatureException',
]);

/** A denial is remembered this long (the page greys the feature out), then the call is tried again. */
export const DENIAL_MEMORY_MS = 5 * 60_000;

export interface PoolAccount {
  username: string;
  sub: string | null;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
  /** CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED, UNCONFIRMED, EXTERNAL_PROVIDER, … */
  status: string;
  enabled: boolean;
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface PoolGroup {
  name: string;
  description: string | null;
  precedence: number | null;
}

export interface InviteRequest {
  username: string;
  email: string;
  firstName?: string;
  lastName?: string;
}

type Sdk = typeof import('@aws-sdk/client-cognito-identity-provider');

function attributesOf(list: AttributeType[] | undefined): Map<string, string> {
  return new Map((list ?? []).map((attribute) => [attribute.Name ?? '', attribute.Value ?? '']));
}

export function accountOf(user: UserType | { Username?: string; UserAttributes?: AttributeType[]; [key: string]: unknown }): PoolAccount {
  const typed = user as UserType & { UserAttributes?: AttributeType[] };
  const attributes = attributesOf(typed.Attributes ?? typed.UserAttributes);
  return {
    username: typed.Username ?? '',
    sub: attributes.get('sub') ?? null,
    email: attributes.get('email') ?? null,
    emailVerified: attributes.get('email_verified') === 'true',
    firstName: attributes.get('given_name') ?? null,
    lastName: attributes.get('family_name') ?? null,
    status: typed.UserStatus ?? 'UNKNOWN',
    enabled: typed.Enabled ?? true,
    createdAt: typed.UserCreateDate ?? null,
    updatedAt: typed.UserLastModifiedDate ?? null,
  };
}

/** A value inside a ListUsers filter's quotes: Cognito reads backslash escapes there. */
function quoted(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

type Loaded = { sdk: Sdk; client: CognitoIdentityProviderClient; userPoolId: string };

/**
 * The pools' admin API, for the admin features (invitations, groups, disable, reset, delete), each
 * call to the pool it names (the person's own). It needs the server's AWS credentials (the SDK's
 * default chain) with the IAM actions of POOL_ADMIN_ACTIONS; the local pool accepts any, so a
 * non-AWS endpoint outside production gets placeholder ones. The AWS SDK is loaded on the first call.
 */
@Injectable()
export class PoolAdminClient {
  private readonly loaded = new Map<string, Promise<Loaded>>();
  /** Actions this server was recently refused, by pool, with the reason shown to admins. */
  private readonly denials = new Map<string, { pool: string; action: PoolAdminAction; reason: string; at: number }>();

  constructor(
    private readonly config: AppConfig,
    private readonly pools: UserPools,
  ) {}

  /** Actions refused within DENIAL_MEMORY_MS, by pool, with the reason; an action that works again is dropped at once. */
  deniedActions(now = Date.now()): Array<{ pool: string; action: PoolAdminAction; reason: string }> {
    const denied: Array<{ pool: string; action: PoolAdminAction; reason: string }> = [];
    for (const [key, { pool, action, reason, at }] of this.denials) {
      if (now - at < DENIAL_MEMORY_MS) denied.push({ pool, action, reason });
      else this.denials.delete(key);
    }
    return denied;
  }

  /** Creates the account; the pool sends the invitation (email) with a temporary password. */
  async invite(pool: string, request: InviteRequest): Promise<PoolAccount> {
    const attributes: AttributeType[] = [
      { Name: 'email', Value: request.email },
      // The invitation goes to this address, and signing in with its password proves it was read.
      { Name: 'email_verified', Value: 'true' },
    ];
    if (request.firstName) attributes.push({ Name: 'given_name', Value: request.firstName });
    if (request.lastName) attributes.push({ Name: 'family_name', Value: request.lastName });
    const result = await this.call(pool, 'AdminCreateUser', ({ sdk, client, userPoolId }, options) =>
      client.send(
        new sdk.AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: request.username,
          UserAttributes: attributes,
          DesiredDeliveryMediums: ['EMAIL'],
        }),
        options,
      ),
    );
    return accountOf(result.User ?? {});
  }

  /** Sends the invitation again, with a new temporary password (only while the first sign-in is pending). */
  async resendInvitation(pool: string, username: string): Promise<void> {
    await this.call(pool, 'AdminCreateUser', ({ sdk, client, userPoolId }, options) =>
      client.send(
        new sdk.AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: username,
          MessageAction: 'RESEND',
          DesiredDeliveryMediums: ['EMAIL'],
        }),
        options,
      ),
    );
  }

  /** One page of the pool's accounts (the pool's own pagination), optionally those whose attribute starts with `prefix`. */
  async listAccounts(
    pool: string,
    page: {
      filter?: { attribute: 'username' | 'email' | 'sub'; prefix?: string; equals?: string };
      limit: number;
      paginationToken?: string;
    },
  ): Promise<{ accounts: PoolAccount[]; paginationToken: string | null }> {
    const { filter } = page;
    const result = await this.call(pool, 'ListUsers', ({ sdk, client, userPoolId }, options) =>
      client.send(
        new sdk.ListUsersCommand({
          UserPoolId: userPoolId,
          Limit: page.limit,
          PaginationToken: page.paginationToken,
          Filter:
            filter &&
            (filter.equals !== undefined
              ? `${filter.attribute} = ${quoted(filter.equals)}`
              : `${filter.attribute} ^= ${quoted(filter.prefix ?? '')}`),
        }),
        options,
      ),
    );
    return { accounts: (result.Users ?? []).map(accountOf), paginationToken: result.PaginationToken ?? null };
  }

  /** The account whose `sub` this is: its pool username is what every admin call needs. */
  async accountBySub(pool: string, sub: string): Promise<PoolAccount | null> {
    const { accounts } = await this.listAccounts(pool, { filter: { attribute: 'sub', equals: sub }, limit: 1 });
    return accounts.find((account) => account.sub === sub) ?? null;
  }

  /** Every group of the pool (all pages, at most 20 of 60). */
  async listGroups(pool: string): Promise<PoolGroup[]> {
    const groups: GroupType[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await this.call(pool, 'ListGroups', ({ sdk, client, userPoolId }, options) =>
        client.send(
          new sdk.ListGroupsCommand({
            UserPoolId: userPoolId,
            Limit: 60,
            NextToken: nextToken,
          }),
          options,
        ),
      );
      groups.push(...(result.Groups ?? []));
      nextToken = result.NextToken;
      if (!nextToken) break;
    }
    return groups.map((group) => ({
      name: group.GroupName ?? '',
      description: group.Description ?? null,
      precedence: group.Precedence ?? null,
    }));
  }

  async groupsOf(pool: string, username: string): Promise<string[]> {
    const names: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 20; page++) {
      const result = await this.call(pool, 'AdminListGroupsForUser', ({ sdk, client, userPoolId }, options) =>
        client.send(
          new sdk.AdminListGroupsForUserCommand({
            UserPoolId: userPoolId,
            Username: username,
            Limit: 60,
            NextToken: nextToken,
          }),
          options,
        ),
      );
      names.push(...(result.Groups ?? []).map((group) => group.GroupName ?? ''));
      nextToken = result.NextToken;
      if (!nextToken) break;
    }
    return names.sort((a, b) => a.localeCompare(b));
  }

  async addToGroup(pool: string, username: string, group: string): Promise<void> {
    await this.call(pool, 'AdminAddUserToGroup', ({ sdk, client, userPoolId }, options) =>
      client.send(
        new sdk.AdminAddUserToGroupCommand({
          UserPoolId: userPoolId,
          Username: username,
          GroupName: group,
        }),
        options,
      ),
    );
  }

  async removeFromGroup(pool: string, username: string, group: string): Promise<void> {
    await this.call(pool, 'AdminRemoveUserFromGroup', ({ sdk, client, userPoolId }, options) =>
      client.send(
        new sdk.AdminRemoveUserFromGroupCommand({
          UserPoolId: userPoolId,
          Username: username,
          GroupName: group,
        }),
        options,
      ),
    );
  }

  async disable(pool: string, username: string): Promise<void> {
    await this.call(pool, 'AdminDisableUser', ({ sdk, client, userPoolId }, options) =>
      client.send(new sdk.AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username }), options),
    );
  }

  async enable(pool: string, username: string): Promise<void> {
    await this.call(pool, 'AdminEnableUser', ({ sdk, client, userPoolId }, options) =>
      client.send(new sdk.AdminEnableUserCommand({ UserPoolId: userPoolId, Username: username }), options),
    );
  }

  /** The pool sends the person a code; their next sign-in must set a new password with it. */
  async resetPassword(pool: string, username: string): Promise<void> {
    await this.call(pool, 'AdminResetUserPassword', ({ sdk, client, userPoolId }, options) =>
      client.send(
        new sdk.AdminResetUserPasswordCommand({
          UserPoolId: userPoolId,
          Username: username,
        }),
        options,
      ),
    );
  }

  async delete(pool: string, username: string): Promise<void> {
    await this.call(pool, 'AdminDeleteUser', ({ sdk, client, userPoolId }, options) =>
      client.send(new sdk.AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }), options),
    );
  }

  private load(settings: CognitoSettings): Promise<Loaded> {
    let loaded = this.loaded.get(settings.name);
    if (!loaded) {
      loaded = import('@aws-sdk/client-cognito-identity-provider').then((sdk) => {
        const { region, endpoint, userPoolId } = settings;
        const local = !this.config.production && !isAwsEndpoint(endpoint);
        const client = new sdk.CognitoIdentityProviderClient({
          region,
          endpoint,
          maxAttempts: 1,
          ...(local && { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
        });
        return { sdk, client, userPoolId };
      });
      this.loaded.set(settings.name, loaded);
    }
    return loaded;
  }

  /** One call to a pool, bounded in time; its failure becomes a PoolAdminError, and a denial is remembered. */
  private async call<T>(
    pool: string,
    action: PoolAdminAction,
    send: (loaded: Loaded, options: { abortSignal: AbortSignal }) => Promise<T>,
  ): Promise<T> {
    const settings = this.pools.named(pool);
    // A row may name a pool that is no longer configured.
    if (!settings) throw new PoolAdminError(action, 'failed', 'UnknownPool', `The user pool "${pool}" is not configured on this server.`);
    let output: T;
    try {
      output = await send(await this.load(settings), { abortSignal: AbortSignal.timeout(GET_USER_TIMEOUT_MS) });
    } catch (error) {
      const failure = this.failureOf(action, error);
      if (failure.failure === 'denied') this.denials.set(`${pool} ${action}`, { pool, action, reason: failure.message, at: Date.now() });
      throw failure;
    }
    this.denials.delete(`${pool} ${action}`);
    return output;
  }

  private failureOf(action: PoolAdminAction, error: unknown): PoolAdminError {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (DENIALS.has(name)) {
      const why = name === 'CredentialsProviderError' ? 'it has no AWS credentials' : `the pool answered ${name}`;
      return new PoolAdminError(
        action,
        'denied',
        name,
        `This server may not call cognito-idp:${action} on the user pool (${why}). Grant that action to the server's IAM role (see docs/admin.md).`,
      );
    }
    if (name === 'UserNotFoundException') return new PoolAdminError(action, 'not_found', name, 'The user pool has no such user.');
    if (name === 'ResourceNotFoundException')
      return new PoolAdminError(action, 'not_found', name, `The user pool has no such group (${message}).`);
    if (status !== undefined && status >= 400 && status < 500 && name !== 'TooManyRequestsException') {
      return new PoolAdminError(action, 'refused', name, `The user pool refused ${action}: ${name}: ${message}`);
    }
    return new PoolAdminError(action, 'failed', name, `The user pool failed ${action} (${name}: ${message}).`);
  }
}
