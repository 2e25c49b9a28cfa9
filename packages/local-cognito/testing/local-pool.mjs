// Users and tokens of the local Cognito pool, for end-to-end test suites (Playwright, Cypress,
// plain Node), ours or those of an app in another repository. No dependencies: Node 18+ (fetch);
// import it as `@backend/local-cognito/testing`, or by path. Types: local-pool.d.mts. Never point it at a real user pool: it sends
// unsigned requests, which only the emulator accepts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `.data/local-stack.json` of the backend's repository (packages/local-cognito/testing/ → its root), written by `npm start`, wherever the caller runs. */
export const DEFAULT_STACK_FILE = fileURLToPath(new URL('../../../.data/local-stack.json', import.meta.url));

const REQUEST_TIMEOUT_MS = 5000;

/** A refusal by the emulator (`code` is Cognito's exception name), or the emulator being unreachable. */
export class LocalPoolError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'LocalPoolError';
    this.code = code;
  }
}

/**
 * Where the local pool is: the options given, else the stack file (`options.stackFile`, the
 * LOCAL_STACK_FILE variable, or this repository's `.data/local-stack.json`). `options.pool` picks one
 * of the stack's pools by name (`default`, `staff`); without it, the first (the file's top-level fields).
 */
export function readLocalStack(options = {}) {
  if (options.endpoint && options.userPoolId && options.clientId) {
    return { endpoint: trimSlash(options.endpoint), userPoolId: options.userPoolId, backendClientId: options.clientId, users: [] };
  }
  const file = options.stackFile ?? process.env.LOCAL_STACK_FILE ?? DEFAULT_STACK_FILE;
  let stack;
  try {
    stack = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new LocalPoolError(
      `No local pool found (${file} is missing): start the backend's local stack with \`npm start\` first.`,
      'StackFileMissing',
    );
  }
  let pool = stack;
  if (options.pool !== undefined) {
    pool = stack.pools?.[options.pool];
    if (!pool) {
      const known = Object.keys(stack.pools ?? {}).join(', ') || 'none: restart `npm start` to write them';
      throw new LocalPoolError(`The local stack has no pool "${options.pool}" (its pools: ${known}).`, 'UnknownPool');
    }
  }
  return {
    ...stack,
    ...pool,
    endpoint: trimSlash(options.endpoint ?? pool.endpoint),
    userPoolId: options.userPoolId ?? pool.userPoolId,
    backendClientId: options.clientId ?? pool.backendClientId,
  };
}

/**
 * Creates a confirmed user with a permanent password, its attributes (e.g. `{ email: 'bob@example.com' }`)
 * and its groups (created when missing). Fails when the username is taken; a half-made user is removed.
 */
export async function createUser(user, options = {}) {
  const stack = readLocalStack(options);
  const { username, password, attributes = {}, groups = [] } = user;
  if (!username || !password) throw new LocalPoolError('createUser needs a username and a password', 'InvalidParameterException');

  const created = await send(stack, 'AdminCreateUser', {
    UserPoolId: stack.userPoolId,
    Username: username,
    MessageAction: 'SUPPRESS',
    UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value: String(Value) })),
  }).catch((error) => {
    if (error.code !== 'UsernameExistsException') throw error;
    throw new LocalPoolError(
      `A user "${username}" already exists in the local pool: remove it first (deleteUser, or npm run user -- remove ${username})`,
      error.code,
    );
  });
  try {
    await send(stack, 'AdminSetUserPassword', { UserPoolId: stack.userPoolId, Username: username, Password: password, Permanent: true });
    for (const group of groups) await addToGroup(stack, username, group);
  } catch (error) {
    await deleteUser(username, options).catch(() => undefined);
    throw error;
  }
  const sub = created.User?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  return { username, password, sub, groups: [...groups] };
}

/** Removes a user (and its group memberships). Resolves false when there was no such user. */
export async function deleteUser(username, options = {}) {
  const stack = readLocalStack(options);
  try {
    await send(stack, 'AdminDeleteUser', { UserPoolId: stack.userPoolId, Username: username });
    return true;
  } catch (error) {
    if (error instanceof LocalPoolError && error.code === 'UserNotFoundException') return false;
    throw error;
  }
}

/**
 * Signs a user in as the backend's app client does (AdminInitiateAuth, ADMIN_USER_PASSWORD_AUTH).
 * The password defaults to the stack file's for its seeded users (alice, admin; sam of the pool staff).
 */
export async function getTokens(username, password, options = {}) {
  const stack = readLocalStack(options);
  const secret = password ?? stack.users?.find((user) => user.username === username)?.password;
  if (!secret)
    throw new LocalPoolError(
      `No password given for "${username}", and it is not a seeded user of the local pool`,
      'InvalidParameterException',
    );
  const result = await send(stack, 'AdminInitiateAuth', {
    UserPoolId: stack.userPoolId,
    ClientId: stack.backendClientId,
    AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
    AuthParameters: { USERNAME: username, PASSWORD: secret },
  }).catch((error) => {
    // Cognito (PreventUserExistenceErrors) tells neither a wrong password nor an unknown user apart; a bare emulator does.
    if (
      ['NotAuthorizedException', 'InvalidPasswordException', 'UserNotFoundException'].includes(error.code) &&
      !/disabled/i.test(error.message)
    ) {
      throw new LocalPoolError(
        'AdminInitiateAuth failed: NotAuthorizedException: Incorrect username or password.',
        'NotAuthorizedException',
      );
    }
    throw error;
  });
  const tokens = result.AuthenticationResult;
  if (!tokens?.AccessToken) {
    throw new LocalPoolError(
      `Cognito asked for the ${result.ChallengeName ?? 'unknown'} challenge instead of issuing tokens`,
      'ChallengeRequired',
    );
  }
  const expiresAtSeconds = expiryOf(tokens.AccessToken);
  return {
    accessToken: tokens.AccessToken,
    idToken: tokens.IdToken,
    refreshToken: tokens.RefreshToken,
    tokenType: 'Bearer',
    expiresIn: tokens.ExpiresIn ?? Math.max(0, expiresAtSeconds - Math.floor(Date.now() / 1000)),
    expiresAt: new Date(expiresAtSeconds * 1000).toISOString(),
  };
}

/**
 * A machine token: the client-credentials grant at the pool's /oauth2/token, as a service calls
 * Cognito's (HTTP Basic client authentication). Defaults to the stack file's `service` client and
 * all its scopes; `scope` asks for some of them (space-separated).
 */
export async function getClientToken(options = {}) {
  const stack = readLocalStack(options);
  const clientId = options.serviceClientId ?? stack.serviceClientId;
  const clientSecret = options.serviceClientSecret ?? stack.serviceClientSecret;
  if (!clientId || !clientSecret) {
    throw new LocalPoolError(
      'The local pool has no service client in its stack file: restart `npm start` to create it.',
      'StackFileMissing',
    );
  }
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (options.scope) form.set('scope', options.scope);
  let response;
  try {
    response = await fetch(`${stack.endpoint}/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString('base64')}`,
      },
      body: form,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new LocalPoolError(
      `The local Cognito pool is not reachable at ${stack.endpoint} (${error.cause?.code ?? error.name}): start the backend's local stack with \`npm start\`.`,
      'EmulatorUnreachable',
    );
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok || !json.access_token) {
    throw new LocalPoolError(
      `The token endpoint refused the client credentials: ${json.error ?? `HTTP ${response.status}`}`,
      json.error ?? `HTTP${response.status}`,
    );
  }
  return {
    accessToken: json.access_token,
    tokenType: 'Bearer',
    expiresIn: json.expires_in,
    expiresAt: new Date((expiryOf(json.access_token) ?? Math.floor(Date.now() / 1000) + json.expires_in) * 1000).toISOString(),
    scope: JSON.parse(Buffer.from(json.access_token.split('.')[1], 'base64url').toString('utf8')).scope,
  };
}

/**
 * The messages the local pool "sent" to a user (codes of sign-up, password reset, attribute
 * verification, sign-in by email or SMS, invitations' temporary passwords), newest first.
 */
export async function listMessages(username, options = {}) {
  const endpoint = options.endpoint ? trimSlash(options.endpoint) : readLocalStack(options).endpoint;
  let response;
  try {
    response = await fetch(`${endpoint}/_local/messages?${new URLSearchParams({ username })}`, {
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new LocalPoolError(
      `The local Cognito pool is not reachable at ${endpoint} (${error.cause?.code ?? error.name}): start the backend's local stack with \`npm start\`.`,
      'EmulatorUnreachable',
    );
  }
  const json = await response.json().catch(() => ({}));
  if (!response.ok || !Array.isArray(json.messages)) {
    throw new LocalPoolError(`The local pool's outbox answered HTTP ${response.status}`, 'UnexpectedResponse');
  }
  return json.messages;
}

/** The code of the newest message to `username` (of `options.kind` only, when given), or undefined when there is none. */
export async function latestCode(username, options = {}) {
  const messages = await listMessages(username, options);
  return messages.find((message) => options.kind === undefined || message.kind === options.kind)?.code;
}

async function addToGroup(stack, username, group) {
  const membership = { UserPoolId: stack.userPoolId, Username: username, GroupName: group };
  try {
    await send(stack, 'AdminAddUserToGroup', membership);
  } catch (error) {
    if (!(error instanceof LocalPoolError) || error.code !== 'ResourceNotFoundException') throw error;
    await send(stack, 'CreateGroup', { UserPoolId: stack.userPoolId, GroupName: group }).catch((failure) => {
      if (failure.code !== 'GroupExistsException') throw failure;
    });
    await send(stack, 'AdminAddUserToGroup', membership);
  }
}

/** One call of the Cognito JSON API, as the AWS SDK makes it (the emulator checks no signature). */
async function send(stack, operation, body) {
  let response;
  try {
    response = await fetch(`${stack.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new LocalPoolError(
      `The local Cognito emulator is not reachable at ${stack.endpoint} (${error.cause?.code ?? error.name}): start the backend's local stack with \`npm start\`.`,
      'EmulatorUnreachable',
    );
  }
  const text = await response.text();
  let json;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new LocalPoolError(
      `${stack.endpoint} answered ${operation} with HTTP ${response.status} and no JSON: is it the Cognito emulator?`,
      'UnexpectedResponse',
    );
  }
  if (!response.ok) {
    const code = String(json.__type ?? json.code ?? `HTTP${response.status}`)
      .split('#')
      .pop();
    throw new LocalPoolError(`${operation} failed: ${code}: ${json.message ?? text}`, code);
  }
  return json;
}

function expiryOf(jwt) {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
  return payload.exp;
}

function trimSlash(url) {
  return url.replace(/\/+$/, '');
}
