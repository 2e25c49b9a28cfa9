import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { clientCredentialsGrant } from './client-credentials.js';
import { ClientSettings } from './client-settings.js';
import type { CognitoAnswer } from './cognito-answer.js';
import type { EmulatorState } from './emulator-state.js';
import { type AuthorizeRequest, errorPage, FAVICON_SVG, SEEDED_USER_FIELD, type SeededUserHint, signInPage } from './hosted-ui-page.js';
import type { EmulatorResponse, OperationContext } from './operations/context.js';
import { emulatorAnswer } from './operations/emulator-answer.js';
import { answerOperation } from './operations/table.js';
import { hostedUiSignIn, refreshTokenGrant, revokeGrant, unallowedScope } from './hosted-ui-tokens.js';
import { PASSWORD_RESET_REQUIRED, PasswordResets } from './password-resets.js';
import { asCognitoRefusal } from './password-sign-in.js';
import { preTokenHook } from './pre-token-hook.js';
import { resourceOf } from './resource-indicator.js';
import { SessionStore } from './session-store.js';
import { SrpSignIn } from './srp-sign-in.js';
import { TokenIssuer } from './token-issuer.js';
import type { Outbox } from './outbox.js';
import { outboxPage } from './outbox-pages.js';
import { PasskeyStore } from './passkey-store.js';
import { DEFAULT_RELYING_PARTY_ID, Passkeys } from './passkeys.js';
import { adminOperations } from './admin-operations.js';
import { type Operation, selfServiceOperations } from './self-service.js';
import { type SignInAs, UserAuth } from './user-auth.js';
import type { VerificationCodes } from './verification-codes.js';

const MAX_BODY_BYTES = 1024 * 1024;
const AMZ_JSON = 'application/x-amz-json-1.1';

export interface PoolFrontOptions {
  /** Where cognito-local listens (a private loopback port). */
  emulatorUrl: string;
  /** The pool's public base URL: the issuer's prefix and the endpoint clients are given. */
  issuerBase: string;
  state: EmulatorState;
  /** Shown on the sign-in page. */
  users: SeededUserHint[];
  /** Where the front keeps what the emulator does not: sign-in sessions, app-client settings. */
  storeDir: string;
  /** The pool's clock (milliseconds) for sessions and rotation grace periods; tests may move it. */
  now?: () => number;
  /** Every message the pool would send. */
  outbox: Outbox;
  codes: VerificationCodes;
  /** The module of a pre-token-generation hook (LOCAL_PRE_TOKEN_HOOK): customizes every token issued. */
  preTokenHook?: string;
  /** The passkeys' relying party id (LOCAL_PASSKEY_RP_ID): the host of the pages that register and use them. */
  relyingPartyId?: string;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': type, 'access-control-allow-origin': '*', 'cache-control': 'no-store', ...headers });
  res.end(body);
}

function sendCognito(res: ServerResponse, answer: CognitoAnswer): void {
  if (answer.status === 200) return send(res, 200, AMZ_JSON, JSON.stringify(answer.body));
  // The AWS JSON protocol: the exception's name in __type and in x-amzn-ErrorType.
  send(res, 400, AMZ_JSON, JSON.stringify({ __type: answer.type, message: answer.message }), { 'x-amzn-errortype': answer.type });
}

/**
 * The local pool's HTTP face: what cognito-local lacks (USER_SRP_AUTH, the client-credentials grant,
 * a finished Hosted UI page, /logout) is answered here; everything else goes to the emulator unchanged.
 */
/** Authorization codes given out and not yet redeemed that the pool remembers the grant of. */
const MAX_PENDING_CODES = 10_000;

export function poolFrontHandler(options: PoolFrontOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { emulatorUrl, issuerBase, state, outbox, codes } = options;
  /** The seeded users of the pool an app client belongs to: the sign-in page offers those only. */
  const usersOf = (clientId: string): SeededUserHint[] => {
    const userPoolId = state.client(clientId)?.UserPoolId;
    const poolName = userPoolId ? state.poolName(userPoolId) : undefined;
    return options.users.filter((user) => user.poolName === undefined || user.poolName === poolName);
  };

  /** One call to the emulator's JSON API. */
  const emulatorCall = async (target: string, body: object): Promise<EmulatorResponse> => {
    const response = await fetch(`${emulatorUrl}/`, {
      method: 'POST',
      headers: { 'content-type': AMZ_JSON, 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    let json: Record<string, unknown>;
    try {
      json = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
    } catch {
      json = { message: text.slice(0, 200) };
    }
    return { status: response.status, json };
  };

  // The claim proved the password: the emulator's USER_PASSWORD_AUTH now answers as Cognito does after
  // PASSWORD_VERIFIER (tokens, or NEW_PASSWORD_REQUIRED / MFA, whose answers go to the emulator as they are).
  const signInAs: SignInAs = async (_userPoolId, clientId, username, password) => {
    const response = await emulatorCall('InitiateAuth', {
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password },
    });
    const answer = emulatorAnswer('InitiateAuth', response);
    if (answer.status !== 200) return asCognitoRefusal(answer.type, answer.message);
    return { status: 200, body: { ChallengeParameters: {}, ...response.json } };
  };
  const srp = new SrpSignIn(state, signInAs);
  const passkeys = new Passkeys(
    new PasskeyStore(join(options.storeDir, 'passkeys.json')),
    options.relyingPartyId ?? DEFAULT_RELYING_PARTY_ID,
    options.now ?? Date.now,
  );
  const userAuth = new UserAuth(state, outbox, srp, signInAs, passkeys);

  const resets = new PasswordResets(join(options.storeDir, 'password-resets.json'));
  const selfService: Record<string, Operation> = {
    ...selfServiceOperations({ state, emulatorCall, outbox, codes, issuerBase, resets }),
    ...adminOperations({ state, emulatorCall, outbox, codes, resets }),
  };
  const hook = options.preTokenHook ? preTokenHook(options.preTokenHook) : undefined;
  const sessions = new SessionStore(join(options.storeDir, 'sessions.json'), options.now);
  const context: OperationContext = {
    state,
    sessions,
    resets,
    clients: new ClientSettings(join(options.storeDir, 'clients.json')),
    tokens: new TokenIssuer(sessions, state, hook),
    srp,
    userAuth,
    passkeys,
    emulator: emulatorCall,
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body?: Buffer): void => {
    // A connection of its own for each request (agent: false), closed after it: no stale kept-alive socket.
    const headers = { ...req.headers, connection: 'close' };
    const upstream = httpRequest(`${emulatorUrl}${req.url ?? '/'}`, { method: req.method, headers, agent: false }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent)
        send(res, 502, 'application/json', JSON.stringify({ message: 'The Cognito emulator behind the local pool is not answering' }));
      else res.destroy();
    });
    if (body) upstream.end(body);
    else req.pipe(upstream);
  };

  const authorizeRequest = (params: URLSearchParams): AuthorizeRequest => ({
    client_id: params.get('client_id') ?? '',
    redirect_uri: params.get('redirect_uri') ?? '',
    response_type: params.get('response_type') ?? '',
    code_challenge: params.get('code_challenge') ?? '',
    code_challenge_method: params.get('code_challenge_method') ?? '',
    scope: params.get('scope') ?? '',
    state: params.get('state') ?? '',
    resource: params.get('resource') ?? '',
  });

  /** What Cognito checks before it shows its sign-in page; undefined when the request is fine. */
  const authorizeProblem = (request: AuthorizeRequest): string | undefined => {
    const client = state.client(request.client_id);
    if (!client) return 'Unknown client_id: no app client of the local pool has this id.';
    if (!request.redirect_uri || !(client.CallbackURLs ?? []).includes(request.redirect_uri)) {
      return `redirect_uri ${request.redirect_uri || '(missing)'} is not a callback URL of the app client ${client.ClientName ?? client.ClientId}.`;
    }
    if (request.response_type !== 'code') return 'response_type must be code.';
    if (!request.code_challenge || request.code_challenge_method !== 'S256')
      return 'The local pool needs PKCE: code_challenge with code_challenge_method=S256.';
    return undefined;
  };

  /** What the authorization codes given out were granted (RFC 8707 resource, scopes), until their token request. */
  const codeGrants = new Map<string, { resource?: string; scope?: string }>();

  /** An error of an authorization request, once its redirect_uri is known good: back to the client, as RFC 6749 says. */
  const redirectError = (res: ServerResponse, request: AuthorizeRequest, error: string, description: string): void => {
    const location = new URL(request.redirect_uri);
    location.searchParams.set('error', error);
    location.searchParams.set('error_description', description);
    if (request.state) location.searchParams.set('state', request.state);
    res.writeHead(302, { location: location.toString(), 'cache-control': 'no-store' });
    res.end();
  };

  /** The emulator's authorization-code grant (code, PKCE), its tokens made a session's, the access token given the resource's audience (RFC 8707). */
  const authorizationCodeGrant = async (req: IncomingMessage, res: ServerResponse, form: URLSearchParams, body: Buffer) => {
    const json = (status: number, answer: object) => send(res, status, 'application/json;charset=UTF-8', JSON.stringify(answer));
    const target = resourceOf(form);
    if (!target.ok) return json(400, { error: 'invalid_target', error_description: target.description });
    const code = form.get('code') ?? '';
    const granted = codeGrants.get(code) ?? {};
    if (target.resource && granted.resource && target.resource !== granted.resource) {
      return json(400, { error: 'invalid_target', error_description: 'resource is not the one the authorization request named.' });
    }
    form.delete('resource');
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (req.headers.authorization) headers.authorization = req.headers.authorization;
    const answer = await fetch(`${emulatorUrl}/oauth2/token`, {
      method: 'POST',
      headers,
      body: target.resource ? form.toString() : body.toString('utf8'),
    });
    const text = await answer.text();
    let tokens: Record<string, unknown> | undefined;
    try {
      tokens = JSON.parse(text) as Record<string, unknown>;
    } catch {
      tokens = undefined;
    }
    if (!answer.ok || typeof tokens?.access_token !== 'string') {
      return send(res, answer.status, answer.headers.get('content-type') ?? 'application/json', text);
    }
    codeGrants.delete(code);
    const issued = await hostedUiSignIn(context, form.get('client_id') ?? '', tokens, {
      resource: target.resource ?? granted.resource,
      scope: granted.scope,
    });
    return json(issued.status, issued.body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', issuerBase);
    const method = req.method ?? 'GET';

    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET,POST,OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
        'access-control-max-age': '600',
      });
      return void res.end();
    }
    if (method === 'GET' && url.pathname.startsWith('/_local/')) {
      const page = outboxPage(outbox, url.pathname, url.searchParams);
      if (page) return send(res, page.status, page.type, page.body);
    }
    if (method === 'GET' && (url.pathname === '/favicon.svg' || url.pathname === '/favicon.ico')) {
      return send(res, 200, 'image/svg+xml', FAVICON_SVG, { 'cache-control': 'max-age=3600' });
    }

    if (method === 'POST' && url.pathname === '/') {
      const body = await readBody(req);
      const target = String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop();
      let params: Record<string, unknown>;
      try {
        params = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        return sendCognito(res, { status: 400, type: 'SerializationException', message: 'The request body is not JSON.' });
      }
      if (typeof params !== 'object' || params === null || Array.isArray(params)) {
        return sendCognito(res, { status: 400, type: 'SerializationException', message: 'The request body is not a JSON object.' });
      }
      if (!target) return forward(req, res, body);
      return sendCognito(res, await answerOperation(context, target, params, selfService));
    }

    if (method === 'POST' && url.pathname === '/oauth2/token') {
      const body = await readBody(req);
      const form = new URLSearchParams(body.toString('utf8'));
      if (form.get('grant_type') === 'authorization_code') return authorizationCodeGrant(req, res, form, body);
      const grant = form.get('grant_type');
      if (grant !== 'client_credentials' && grant !== 'refresh_token') return forward(req, res, body);
      const answer =
        grant === 'refresh_token'
          ? await refreshTokenGrant(context, form, req.headers.authorization)
          : await clientCredentialsGrant(state, issuerBase, form, req.headers.authorization, hook);
      return send(res, answer.status, 'application/json;charset=UTF-8', JSON.stringify(answer.body));
    }

    if (method === 'POST' && url.pathname === '/oauth2/revoke') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      const answer = await revokeGrant(context, form, req.headers.authorization);
      return send(res, answer.status, 'application/json;charset=UTF-8', answer.status === 200 ? '' : JSON.stringify(answer.body));
    }

    if (method === 'GET' && url.pathname === '/oauth2/authorize') {
      const request = authorizeRequest(url.searchParams);
      const problem = authorizeProblem(request);
      if (problem) return send(res, 400, 'text/html; charset=utf-8', errorPage(problem));
      const target = resourceOf(url.searchParams);
      if (!target.ok) return redirectError(res, request, 'invalid_target', target.description);
      const unallowed = unallowedScope(state.client(request.client_id), request.scope);
      if (unallowed) return redirectError(res, request, 'invalid_scope', `${unallowed} is not a scope of this app client.`);
      const clientName = state.client(request.client_id)?.ClientName;
      return send(res, 200, 'text/html; charset=utf-8', signInPage({ request, clientName, users: usersOf(request.client_id) }));
    }

    if (method === 'POST' && url.pathname === '/oauth2/authorize') {
      const form = new URLSearchParams((await readBody(req)).toString('utf8'));
      const seeded = usersOf(form.get('client_id') ?? '').find((user) => user.username === form.get(SEEDED_USER_FIELD));
      form.delete(SEEDED_USER_FIELD);
      if (seeded) {
        form.set('username', seeded.username);
        form.set('password', seeded.password);
      }
      const request = authorizeRequest(form);
      const problem = authorizeProblem(request);
      if (problem) return send(res, 400, 'text/html; charset=utf-8', errorPage(problem));
      const target = resourceOf(form);
      if (!target.ok) return redirectError(res, request, 'invalid_target', target.description);
      form.delete('resource');
      const client = state.client(request.client_id);
      const unallowed = unallowedScope(client, request.scope);
      if (unallowed) return redirectError(res, request, 'invalid_scope', `${unallowed} is not a scope of this app client.`);
      const page = (error: string) =>
        signInPage({
          request,
          clientName: client?.ClientName,
          users: usersOf(request.client_id),
          error,
          username: form.get('username') ?? '',
        });
      // The emulator lets a disabled user through; Cognito's page says why it does not.
      if (state.user(client?.UserPoolId ?? '', form.get('username') ?? '')?.Enabled === false) {
        return send(res, 400, 'text/html; charset=utf-8', page('User is disabled.'));
      }
      // The emulator checks the password and makes the code; its bare form (a wrong password) becomes ours.
      const answer = await fetch(`${emulatorUrl}/oauth2/authorize`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
        redirect: 'manual',
      });
      const poolId = client?.UserPoolId ?? '';
      // The right password of a user an administrator reset: no code for the app, the reset instead.
      if (answer.status >= 300 && answer.status < 400 && resets.required(poolId, state.user(poolId, form.get('username') ?? ''))) {
        return send(res, 400, 'text/html; charset=utf-8', page(`${PASSWORD_RESET_REQUIRED.message}.`));
      }
      if (answer.status >= 300 && answer.status < 400) {
        const location = answer.headers.get('location') ?? request.redirect_uri;
        const code = new URL(location, request.redirect_uri).searchParams.get('code');
        if (code) {
          // Codes never redeemed would pile up: the oldest go first (a code lives minutes at most).
          if (codeGrants.size >= MAX_PENDING_CODES) codeGrants.delete(codeGrants.keys().next().value!);
          codeGrants.set(code, { resource: target.resource, scope: request.scope });
        }
        res.writeHead(302, { location, 'cache-control': 'no-store' });
        return void res.end();
      }
      return send(res, answer.status === 200 ? 200 : 400, 'text/html; charset=utf-8', page('Incorrect username or password.'));
    }

    if (method === 'GET' && url.pathname === '/logout') {
      const client = state.client(url.searchParams.get('client_id') ?? '');
      const logoutUri = url.searchParams.get('logout_uri') ?? '';
      if (!client)
        return send(res, 400, 'text/html; charset=utf-8', errorPage('Unknown client_id: no app client of the local pool has this id.'));
      if (!(client.LogoutURLs ?? []).includes(logoutUri)) {
        return send(
          res,
          400,
          'text/html; charset=utf-8',
          errorPage(
            `logout_uri ${logoutUri || '(missing)'} is not a sign-out URL of the app client ${client.ClientName ?? client.ClientId}.`,
          ),
        );
      }
      res.writeHead(302, { location: logoutUri, 'cache-control': 'no-store' });
      return void res.end();
    }

    forward(req, res);
  };

  return (req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof BodyTooLarge) return send(res, 413, 'application/json', JSON.stringify({ message: 'Request body too large' }));
      send(res, 502, 'application/json', JSON.stringify({ message: `The local pool could not answer: ${(error as Error).message}` }));
    });
  };
}
