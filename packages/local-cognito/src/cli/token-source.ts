import { ConfigError, trimSlash, type Env } from './cli-errors.js';

/** `npm run token` against a real (or any configured) user pool, through an admin-auth app client. */
export interface PoolTokenSource {
  kind: 'pool';
  region: string;
  userPoolId: string;
  /** Replaces https://cognito-idp.<region>.amazonaws.com when set. */
  endpoint?: string;
  /** An app client with ALLOW_ADMIN_USER_PASSWORD_AUTH. */
  clientId: string;
  /** When the client has a secret: every call then carries a SECRET_HASH. */
  clientSecret?: string;
  password?: string;
}

/** `npm run token` against the local pool that `npm start` described in its stack file. */
export interface LocalTokenSource {
  kind: 'local';
  /** Unset: the helper's default, this repository's .data/local-stack.json. */
  stackFile?: string;
  password?: string;
}

export type TokenSource = PoolTokenSource | LocalTokenSource;

/**
 * Where `npm run token` gets tokens: the pool configured by COGNITO_USER_POOL_ID (through
 * COGNITO_BACKEND_CLIENT_ID), else the local pool of `npm start` (LOCAL_STACK_FILE, default
 * `.data/local-stack.json`). The password of COGNITO_USER_PASSWORD may be replaced by a flag.
 */
export function loadTokenSource(env: Env = process.env): TokenSource {
  const password = env.COGNITO_USER_PASSWORD || undefined;
  const userPoolId = env.COGNITO_USER_POOL_ID?.trim();
  if (!userPoolId) {
    return { kind: 'local', stackFile: env.LOCAL_STACK_FILE?.trim() || undefined, password };
  }

  const problems: string[] = [];
  const region = env.COGNITO_REGION?.trim() ?? '';
  if (!region) problems.push('COGNITO_REGION is required with COGNITO_USER_POOL_ID: the AWS region of the user pool, e.g. us-west-2');
  const clientId = env.COGNITO_BACKEND_CLIENT_ID?.trim() ?? '';
  if (!clientId) {
    problems.push(
      'COGNITO_BACKEND_CLIENT_ID is required with COGNITO_USER_POOL_ID: an app client of the pool with ALLOW_ADMIN_USER_PASSWORD_AUTH',
    );
  }
  const endpoint = env.COGNITO_ENDPOINT?.trim() || undefined;
  if (endpoint) {
    try {
      if (!['http:', 'https:'].includes(new URL(endpoint).protocol))
        problems.push(`COGNITO_ENDPOINT must use http: or https: (got "${endpoint}")`);
    } catch {
      problems.push(`COGNITO_ENDPOINT is not a valid URL (got "${endpoint}")`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kind: 'pool',
    region,
    userPoolId,
    endpoint: endpoint && trimSlash(endpoint),
    clientId,
    clientSecret: env.COGNITO_BACKEND_CLIENT_SECRET || undefined,
    password,
  };
}
