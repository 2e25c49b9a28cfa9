import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  ListGroupsCommand,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UpdateUserPoolClientCommand,
  UserNotFoundException,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';

export const LOCAL_REGION = 'us-east-1';
export const LOCAL_POOL_NAME = 'backend-local';
/** The second pool's name in the emulator; the API knows it as the pool `staff` (COGNITO_POOLS). */
export const LOCAL_STAFF_POOL_NAME = 'backend-local-staff';
export const LOCAL_ADMIN_GROUP = 'admin';
/** The scope of the users API (COGNITO_RESOURCE_SERVER's default is `backend`), granted to the `service` client. */
export const LOCAL_SERVICE_SCOPES = ['backend/users.read'];

export interface SeedUser {
  username: string;
  password: string;
  groups: string[];
  attributes: Record<string, string>;
}

/** The users every local pool starts with; their passwords are printed at start and in the README. */
export const SEED_USERS: SeedUser[] = [
  {
    username: 'alice',
    password: 'Alice-pass-1',
    groups: [],
    attributes: { email: 'alice@example.com', email_verified: 'true', given_name: 'Alice', family_name: 'Liddell' },
  },
  {
    username: 'admin',
    password: 'Admin-pass-1',
    groups: [LOCAL_ADMIN_GROUP],
    attributes: { email: 'admin@example.com', email_verified: 'true', given_name: 'Ada', family_name: 'Admin' },
  },
];

/** The staff pool's users: a pool of its own, with its own admin group (also named admin). */
export const STAFF_SEED_USERS: SeedUser[] = [
  {
    username: 'sam',
    password: 'Sam-pass-1',
    groups: [LOCAL_ADMIN_GROUP],
    attributes: { email: 'sam@example.com', email_verified: 'true', given_name: 'Sam', family_name: 'Staff' },
  },
];

/** A pool the local stack seeds: its name for the API (COGNITO_POOLS), its name in the emulator, its users. */
export interface LocalPoolSeed {
  /** `default`, or the name COGNITO_POOLS gives it (`staff`). */
  key: string;
  name: string;
  users: SeedUser[];
}

/** The pools `npm start` and the tests run: the default pool (alice, admin) and `staff` (sam), in one local Cognito. */
export const LOCAL_POOLS: LocalPoolSeed[] = [
  { key: 'default', name: LOCAL_POOL_NAME, users: SEED_USERS },
  { key: 'staff', name: LOCAL_STAFF_POOL_NAME, users: STAFF_SEED_USERS },
];

export interface LocalPool {
  endpoint: string;
  region: string;
  userPoolId: string;
  /** The seed's "backend" app client, with ALLOW_ADMIN_USER_PASSWORD_AUTH. */
  backendClientId: string;
  /** The SPAs' client (and the /admin page's): SRP sign-in, authorization code + PKCE on the callback URLs given. */
  webClientId: string;
  /** The web client's twin with refresh-token rotation (grace period 10 s): GetTokensFromRefreshToken only. */
  webRotatingClientId: string;
  /** A confidential client for machines: client-credentials grant, scopes LOCAL_SERVICE_SCOPES. */
  serviceClientId: string;
  serviceClientSecret: string;
}

/** A client for the emulator; it wants credentials in the request but does not check them. */
export function emulatorClient(endpoint: string): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/**
 * Creates, or finds again, a local pool (by default the first of LOCAL_POOLS) with its app clients,
 * admin group and seed users. Idempotent: a second start reuses the same pool, clients and users.
 */
export async function seedLocalPool(endpoint: string, callbackUrls: string[], seed: LocalPoolSeed = LOCAL_POOLS[0]): Promise<LocalPool> {
  const cognito = emulatorClient(endpoint);
  try {
    const pools = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }));
    const userPoolId =
      pools.UserPools?.find((pool) => pool.Name === seed.name)?.Id ??
      (await cognito.send(new CreateUserPoolCommand({ PoolName: seed.name }))).UserPool!.Id!;

    const clients = (await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: userPoolId, MaxResults: 60 }))).UserPoolClients ?? [];
    const clientId = async (name: string, settings: Partial<UserPoolClientType>): Promise<string> => {
      const existing = clients.find((client) => client.ClientName === name)?.ClientId;
      if (existing) {
        await cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: existing, ClientName: name, ...settings }));
        return existing;
      }
      const created = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: name, ...settings }));
      return created.UserPoolClient!.ClientId!;
    };
    const backendClientId = await clientId('backend', {
      ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
    const webSettings: Partial<UserPoolClientType> = {
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
      CallbackURLs: callbackUrls,
      LogoutURLs: callbackUrls,
      SupportedIdentityProviders: ['COGNITO'],
      // USER_AUTH: choice-based sign-in (password, SRP, email and SMS codes), as an SPA may try each.
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    };
    const webClientId = await clientId('web', webSettings);
    // Rotation rules out REFRESH_TOKEN_AUTH (Cognito: GetTokensFromRefreshToken only).
    const webRotatingClientId = await clientId('web-rotating', {
      ...webSettings,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_USER_PASSWORD_AUTH'],
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
    });
    const serviceSettings: Partial<UserPoolClientType> = {
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: LOCAL_SERVICE_SCOPES,
      ExplicitAuthFlows: [],
    };
    // A secret can only be generated when the client is created (as in Cognito).
    const serviceClientId = clients.some((client) => client.ClientName === 'service')
      ? await clientId('service', serviceSettings)
      : (
          await cognito.send(
            new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'service', GenerateSecret: true, ...serviceSettings }),
          )
        ).UserPoolClient!.ClientId!;
    const service = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: serviceClientId }));

    const groups = (await cognito.send(new ListGroupsCommand({ UserPoolId: userPoolId }))).Groups ?? [];
    if (!groups.some((group) => group.GroupName === LOCAL_ADMIN_GROUP)) {
      await cognito.send(
        new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: LOCAL_ADMIN_GROUP, Description: 'Admins of the backend' }),
      );
    }
    for (const user of seed.users) await ensureUser(cognito, userPoolId, user);

    return {
      endpoint,
      region: LOCAL_REGION,
      userPoolId,
      backendClientId,
      webClientId,
      webRotatingClientId,
      serviceClientId,
      serviceClientSecret: service.UserPoolClient!.ClientSecret!,
    };
  } finally {
    cognito.destroy();
  }
}

/** Creates a confirmed user with a permanent password and its groups, unless it already exists. */
export async function ensureUser(cognito: CognitoIdentityProviderClient, userPoolId: string, user: SeedUser): Promise<void> {
  try {
    await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: user.username }));
    return;
  } catch (error) {
    if (!(error instanceof UserNotFoundException)) throw error;
  }
  await cognito.send(
    new AdminCreateUserCommand({
      UserPoolId: userPoolId,
      Username: user.username,
      MessageAction: 'SUPPRESS',
      UserAttributes: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
    }),
  );
  await cognito.send(
    new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: user.username, Password: user.password, Permanent: true }),
  );
  for (const group of user.groups) {
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: user.username, GroupName: group }));
  }
}
