import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { parseArgs } from 'node:util';
import { loadTokenSource, type LocalTokenSource, type PoolTokenSource } from './token-source.js';
import { LOCAL_REGION } from '../seed-pool.js';
import { LocalPoolError, readLocalStack } from '../../testing/local-pool.mjs';
import { clientToken } from './client-token.js';
import { isConnectionFailure, type IssuedTokens, SignInError, signInWithPassword, userMissing } from './cognito-sign-in.js';

const USAGE = `Usage: npm run -s token -- <username> [--pool <pool>] [--json] [--password <password>]
       npm run -s token -- --client service [--pool <pool>] [--scope <scope>] [--json]

Prints the user's Cognito access token, and nothing else, on stdout.
  --json       print {username, tokenType, expiresIn, expiresAt, accessToken, idToken, refreshToken}
  --password   the user's password (or set COGNITO_USER_PASSWORD); seeded local users need none
  --pool       one of the local stack's pools: default (alice, admin; the default) or staff (sam)
  --client     a machine's token instead (client-credentials grant): the local pool's "service" client, or
               against a pool, <COGNITO_DOMAIN>/oauth2/token with COGNITO_SERVICE_CLIENT_ID/_SECRET
  --scope      with --client: the scopes to ask for (default: all the client's, e.g. backend/users.read)

Without COGNITO_USER_POOL_ID: the local pool of \`npm start\` (.data/local-stack.json, or LOCAL_STACK_FILE).
With COGNITO_USER_POOL_ID: that pool, with COGNITO_REGION, COGNITO_BACKEND_CLIENT_ID (an app client with
ALLOW_ADMIN_USER_PASSWORD_AUTH), COGNITO_BACKEND_CLIENT_SECRET if it has a secret, optionally COGNITO_ENDPOINT,
and AWS credentials from the SDK's default chain (AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, instance role).`;

class UsageError extends Error {}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.client !== undefined) {
    if (positionals.length !== 0 || values.password !== undefined) throw new UsageError(USAGE);
    const token = await clientToken(values.client, values.scope, process.env, values.pool);
    process.stdout.write(values.json ? `${JSON.stringify(token, null, 2)}\n` : `${token.accessToken}\n`);
    return;
  }
  if (positionals.length !== 1 || values.scope !== undefined) throw new UsageError(USAGE);
  const username = positionals[0];

  const source = loadTokenSource();
  if (source.kind === 'pool' && values.pool !== undefined) {
    throw new UsageError(
      `--pool picks one of the local stack's pools; with COGNITO_USER_POOL_ID set, that pool is the one asked.\n\n${USAGE}`,
    );
  }
  const tokens =
    source.kind === 'local'
      ? await fromLocalPool(source, username, values.password, values.pool)
      : await fromPool(source, username, values.password);
  process.stdout.write(values.json ? `${JSON.stringify(tokens, null, 2)}\n` : `${tokens.accessToken}\n`);
}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        password: { type: 'string' },
        client: { type: 'string' },
        scope: { type: 'string' },
        pool: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
}

async function fromLocalPool(source: LocalTokenSource, username: string, flagPassword?: string, pool?: string): Promise<IssuedTokens> {
  let stack: ReturnType<typeof readLocalStack>;
  try {
    stack = readLocalStack({ stackFile: source.stackFile, pool });
  } catch (error) {
    throw error instanceof LocalPoolError && error.code === 'UnknownPool' ? new SignInError(error.message) : error;
  }
  const cognito = new CognitoIdentityProviderClient({
    endpoint: stack.endpoint,
    region: stack.region ?? LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    const seeded = stack.users.find((user) => user.username === username);
    const password = flagPassword ?? source.password ?? seeded?.password;
    if (!password) {
      const missing = await userMissing(cognito, stack.userPoolId, username).catch((error: unknown) => {
        throw isConnectionFailure(error) ? emulatorDown(stack.endpoint) : error;
      });
      const seededNames = stack.users.map((user) => user.username).join(', ');
      const where = pool === undefined ? 'the local pool' : `the local pool ${pool}`;
      const otherPools = pool === undefined && stack.pools ? `; other pools: --pool ${Object.keys(stack.pools).slice(1).join(', ')}` : '';
      throw new SignInError(
        missing
          ? `No user "${username}" in ${where} (seeded users: ${seededNames}${otherPools}; add one with \`npm run user -- add ${username} --password ...\`).`
          : `"${username}" is not a seeded user of ${where} (${seededNames}): give its password with --password or COGNITO_USER_PASSWORD.`,
      );
    }
    return await signInWithPassword(cognito, { userPoolId: stack.userPoolId, clientId: stack.backendClientId, username, password });
  } catch (error) {
    throw isConnectionFailure(error) ? emulatorDown(stack.endpoint) : error;
  } finally {
    cognito.destroy();
  }
}

async function fromPool(source: PoolTokenSource, username: string, flagPassword?: string): Promise<IssuedTokens> {
  const password = flagPassword ?? source.password;
  if (!password) {
    throw new SignInError(
      `Give ${username}'s password with --password or COGNITO_USER_PASSWORD (e.g. \`read -rs COGNITO_USER_PASSWORD && export COGNITO_USER_PASSWORD\`).`,
    );
  }
  // No credentials here: the SDK's default provider chain finds them.
  const cognito = new CognitoIdentityProviderClient({ region: source.region, endpoint: source.endpoint });
  try {
    return await signInWithPassword(cognito, {
      userPoolId: source.userPoolId,
      clientId: source.clientId,
      clientSecret: source.clientSecret,
      username,
      password,
    });
  } catch (error) {
    if (isConnectionFailure(error)) {
      throw new SignInError(
        `Cannot reach Cognito at ${source.endpoint ?? `cognito-idp.${source.region}.amazonaws.com`}: ${(error as Error).message}`,
      );
    }
    throw error;
  } finally {
    cognito.destroy();
  }
}

function emulatorDown(endpoint: string): SignInError {
  return new SignInError(`The local Cognito emulator is not running at ${endpoint}: start the stack with \`npm start\`.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof UsageError ? 2 : 1);
});
