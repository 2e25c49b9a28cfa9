import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import jwt from 'jsonwebtoken';

export interface PoolKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export type JwksMode = 'ok' | 'fail' | 'hang' | 'oversized';

export function newKey(kid = `test-${randomUUID().slice(0, 8)}`): PoolKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/**
 * A user pool of our own for tests: it publishes a JWKS of test keys (that tests mint tokens with)
 * on a real HTTP port, and answers Cognito GetUser (and AdminGetUser and the global sign-outs, as
 * Cognito would). Tests switch it to fail, hang, rotate or drop keys.
 */
export class FakePool {
  readonly poolId = 'us-test-1_TestPool';
  readonly clientId = 'test-client-id';
  /** An app client with the client credentials grant (another app of the pool calling on its own behalf). */
  readonly machineClientId = 'test-machine-client';
  published: PoolKey[];
  jwksMode: JwksMode = 'ok';
  /** GetUser's answer: the user's attributes, a 500, or Cognito's refusal of a revoked token. */
  getUserMode: 'ok' | 'fail' | 'revoked' = 'ok';
  /** How long GetUser takes to answer, to keep first requests of new users in flight. */
  getUserDelayMs = 0;
  jwksRequests = 0;
  /** When each JWKS request arrived (Date.now()). */
  readonly jwksRequestTimes: number[] = [];
  getUserRequests = 0;
  /** Pool calls (by their IAM action, e.g. AdminDisableUser; '*' for every admin call) answered AccessDeniedException, as to a role without them. */
  readonly deniedActions = new Set<string>();
  /** GetUser requests answered (a delayed one is in flight until then). */
  getUserAnswers = 0;
  /** Every call of the pool's JSON API received, by its action (GetUser, AdminDisableUser, …). */
  readonly actions: string[] = [];
  /** The pool's admin calls received, with the user name each named. */
  readonly adminCalls: Array<{ operation: string; username: string }> = [];
  /** Attributes GetUser answers with, by sub (`username`: the pool's own user name, answered as `Username`). */
  readonly attributes = new Map<string, Record<string, string>>();
  private server?: Server;
  private endpointUrl = '';

  constructor(readonly key: PoolKey = newKey()) {
    this.published = [key];
  }

  get endpoint(): string {
    return this.endpointUrl;
  }

  get issuer(): string {
    return `${this.endpointUrl}/${this.poolId}`;
  }

  /** The pool's JWKS address (what COGNITO_JWKS_URL points at when `iss` takes the AWS forms). */
  get jwksUrl(): string {
    return `${this.endpointUrl}/${this.poolId}/.well-known/jwks.json`;
  }

  /** Environment pointing the API at this pool. */
  env(): Record<string, string> {
    return {
      COGNITO_ENDPOINT: this.endpoint,
      COGNITO_REGION: 'us-test-1',
      COGNITO_USER_POOL_ID: this.poolId,
      COGNITO_CLIENT_IDS: `${this.clientId},${this.machineClientId}`,
    };
  }

  /** On a free port unless `port` is given; over https with `tls` (a production server accepts no other). */
  async start(options: { port?: number; tls?: { key: string; cert: string } } = {}): Promise<this> {
    const handler = (request: IncomingMessage, response: ServerResponse) => void this.handle(request, response);
    this.server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler);
    await new Promise<void>((resolve) => this.server!.listen(options.port ?? 0, '127.0.0.1', resolve));
    const { port } = this.server.address() as { port: number };
    this.endpointUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** Access-token claims as Cognito issues them; `overrides` replace or (with undefined) remove claims. */
  claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const claims: Record<string, unknown> = {
      sub: randomUUID(),
      iss: this.issuer,
      client_id: this.clientId,
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now,
      iat: now,
      exp: now + 3600,
      jti: randomUUID(),
      username: `user-${randomUUID().slice(0, 6)}`,
      ...overrides,
    };
    for (const [name, value] of Object.entries(claims)) if (value === undefined) delete claims[name];
    return claims;
  }

  /** A client-credentials token as Cognito issues it: `sub` is the client id, no username, no groups. */
  mintMachine(scope: string, overrides: Record<string, unknown> = {}): string {
    const clientId = (overrides.client_id as string | undefined) ?? this.machineClientId;
    return this.mint({ sub: clientId, client_id: clientId, username: undefined, auth_time: undefined, scope, ...overrides });
  }

  /** Signs claims with RS256 (by default with the published key, its kid in the header). */
  mint(
    overrides: Record<string, unknown> = {},
    options: { key?: PoolKey; kid?: string | null; header?: Record<string, unknown> } = {},
  ): string {
    const key = options.key ?? this.key;
    const kid = options.kid === undefined ? key.kid : options.kid;
    const header = { alg: 'RS256', typ: 'JWT', ...(kid === null ? {} : { kid }), ...options.header };
    // Signed by hand: jsonwebtoken's sign() refuses claims of the wrong type, which tests need to send.
    const content = `${base64url(header)}.${base64url(this.claims(overrides))}`;
    return `${content}.${sign('RSA-SHA256', Buffer.from(content), key.privateKey).toString('base64url')}`;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method === 'GET' && request.url === `/${this.poolId}/.well-known/jwks.json`) {
      this.jwksRequests++;
      this.jwksRequestTimes.push(Date.now());
      if (this.jwksMode === 'hang') return; // never answers
      if (this.jwksMode === 'fail') return void response.writeHead(500).end('down');
      const body =
        this.jwksMode === 'oversized'
          ? JSON.stringify({ keys: this.jwks(), padding: 'x'.repeat(200_000) })
          : JSON.stringify({ keys: this.jwks() });
      return void response.writeHead(200, { 'content-type': 'application/json' }).end(body);
    }
    const action = String(request.headers['x-amz-target'] ?? '').replace('AWSCognitoIdentityProviderService.', '');
    if (request.method === 'POST' && action) this.actions.push(action);
    if (request.method === 'POST' && (this.deniedActions.has(action) || (this.deniedActions.has('*') && action !== 'GetUser'))) {
      await readBody(request);
      return amzJson(response, 400, {
        __type: 'AccessDeniedException',
        message: `User: arn:aws:sts::123456789012:assumed-role/api/i-0 is not authorized to perform: cognito-idp:${action} on resource: arn:aws:cognito-idp:us-test-1:123456789012:userpool/${this.poolId} because no identity-based policy allows the cognito-idp:${action} action`,
      });
    }
    if (request.method === 'POST' && request.headers['x-amz-target'] === 'AWSCognitoIdentityProviderService.GetUser') {
      this.getUserRequests++;
      response.once('finish', () => this.getUserAnswers++);
      if (this.getUserDelayMs > 0) await new Promise((done) => setTimeout(done, this.getUserDelayMs));
      const body = JSON.parse(await readBody(request)) as { AccessToken: string };
      const sub = (jwt.decode(body.AccessToken) as { sub?: string } | null)?.sub ?? '';
      const attributes = this.attributes.get(sub);
      if (this.getUserMode === 'revoked') {
        return amzJson(response, 400, { __type: 'NotAuthorizedException', message: 'Access Token has been revoked' });
      }
      if (this.getUserMode === 'fail' || !attributes) {
        return void response
          .writeHead(500, { 'content-type': 'application/x-amz-json-1.1' })
          .end(JSON.stringify({ __type: 'InternalErrorException', message: 'down' }));
      }
      const UserAttributes = Object.entries({ sub, ...attributes }).map(([Name, Value]) => ({ Name, Value }));
      return void response
        .writeHead(200, { 'content-type': 'application/x-amz-json-1.1' })
        .end(JSON.stringify({ Username: attributes.username ?? sub, UserAttributes }));
    }
    const target = request.headers['x-amz-target'];
    if (
      request.method === 'POST' &&
      (target === 'AWSCognitoIdentityProviderService.AdminGetUser' || target === 'AWSCognitoIdentityProviderService.AdminUserGlobalSignOut')
    ) {
      // As Cognito answers: by the pool's own user name (preferred_username is no alias by default), else UserNotFoundException.
      const { Username } = JSON.parse(await readBody(request)) as { Username?: string };
      this.adminCalls.push({ operation: target.split('.')[1], username: Username ?? '' });
      const found = [...this.attributes.entries()].find(([sub, attributes]) => (attributes.username ?? sub) === Username);
      if (!found) return amzJson(response, 400, { __type: 'UserNotFoundException', message: 'User does not exist.' });
      if (target.endsWith('AdminUserGlobalSignOut')) return amzJson(response, 200, {});
      const [sub, attributes] = found;
      const UserAttributes = Object.entries({ sub, ...attributes })
        .filter(([Name]) => Name !== 'username')
        .map(([Name, Value]) => ({ Name, Value }));
      return amzJson(response, 200, { Username, UserAttributes });
    }
    if (request.method === 'POST' && target === 'AWSCognitoIdentityProviderService.GlobalSignOut') {
      await readBody(request);
      return amzJson(response, 200, {});
    }
    response.writeHead(404).end();
  }

  private jwks(): Array<Record<string, unknown>> {
    return this.published.map((key) => ({ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: 'RS256', use: 'sig' }));
  }
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => resolve(body));
    request.on('error', reject);
  });
}

function amzJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(body));
}
