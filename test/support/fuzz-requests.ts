import { sign } from 'node:crypto';
import fc from 'fast-check';
import type { FakePool } from './fake-pool.js';
import type { RegisteredRoute } from './openapi-coverage.js';
import { routeKey } from './route-dtos.js';

/** One generated request, as sent. */
export interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: string;
}

/** What the generators draw on beyond randomness: real rows, real tokens. */
export interface FuzzContext {
  pool: FakePool;
  routes: RegisteredRoute[];
  /** Ids of users that exist, so that path parameters sometimes name a real row. */
  userIds: string[];
  /** Subs of users that exist, so that tokens sometimes belong to one. */
  subs: string[];
  /**
   * By route (routeKey), every property and method name of its query and body classes: sent as
   * query parameters, so that a getter or method a client can reach is found (see routeDtoNames).
   */
  dtoNames: ReadonlyMap<string, string[]>;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Values known to have broken servers like this one. */
const HOSTILE_TEXT = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '😀',
  'ẞ€',
  '%',
  '%00',
  '%zz',
  '..',
  '../..',
  '//',
  '\\',
  "'; DROP TABLE users; --",
  '\r\nX-Injected: 1',
  'constructor',
  '__proto__',
  'toString',
  '0x10',
  '1e3',
  '-1',
  '0',
  '1'.repeat(40),
  'null',
  'true',
  'a'.repeat(300),
];

const GOOD_VALUES = [
  'Grace',
  'Hopper',
  'grace@example.org',
  'octocat',
  'U012AB3CD',
  'https://linkedin.com/in/x',
  '+14155550123',
  'Europe/Berlin',
];

/** Characters that have broken servers like this one, to slip into otherwise good values. */
const HOSTILE_CHARS = ['\u0000', '\ud800', '\udc00', '\u202e', '\r\n', '\ufeff', '😀', '%', "'", '"', '\\'];

const text = fc.oneof(
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_TEXT) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...GOOD_VALUES), fc.constantFrom(...HOSTILE_CHARS), fc.nat())
      .map(([value, char, at]) => value.slice(0, at % (value.length + 1)) + char + value.slice(at % (value.length + 1))),
  },
);

/** Text that Node's HTTP client will put in a header (no control characters, Latin-1 at most). */
const headerText = fc.string({
  unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code === 0x7f ? 0x20 : code)),
  maxLength: 60,
});

const KNOWN_FIELDS = [
  'firstName',
  'lastName',
  'preferredEmail',
  'githubHandle',
  'slackMemberId',
  'linkedinAccount',
  'phone',
  'textingOk',
  'timeZone',
  'isActive',
  'email',
  'sub',
  'id',
  'groups',
  'constructor',
  '__proto__',
  'hasOwnProperty',
];

const fieldValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...GOOD_VALUES) },
  { weight: 3, arbitrary: text },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double(), fc.constant(1e308)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** A JSON object with keys written out by hand, so that `__proto__` is a real key of the text. */
const profileBody = fc
  .array(fc.tuple(fc.oneof(fc.constantFrom(...KNOWN_FIELDS), text), fieldValue), { maxLength: 6 })
  .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`).join(',')}}`);

const nestedBody = fc
  .tuple(fc.integer({ min: 1, max: 4000 }), fc.constantFrom('[', '{"a":'), fc.boolean())
  .map(([depth, open, closed]) => `${open.repeat(depth)}1${closed ? (open === '[' ? ']' : '}').repeat(depth) : ''}`);

const body: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  { weight: 5, arbitrary: profileBody },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: nestedBody },
  { weight: 1, arbitrary: text },
);

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json; charset=utf-16',
      'APPLICATION/JSON',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/octet-stream',
      'application/merge-patch+json',
    ),
  },
  { weight: 1, arbitrary: headerText },
);

function base64url(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** Some entries of an object replaced by wrong values or removed (undefined); most often none. */
function mutations(names: string[], wrong: fc.Arbitrary<unknown>): fc.Arbitrary<Array<[string, unknown]>> {
  const mutation = fc.tuple(fc.constantFrom(...names), fc.option(wrong, { freq: 4, nil: undefined }));
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant<Array<[string, unknown]>>([]) },
    { weight: 1, arbitrary: fc.array(mutation, { minLength: 1, maxLength: 3 }) },
  );
}

function applied(base: Record<string, unknown>, changes: Array<[string, unknown]>): Record<string, unknown> {
  const result = { ...base };
  for (const [name, value] of changes) {
    if (value === undefined) delete result[name];
    else result[name] = value;
  }
  return result;
}

/**
 * Claims of a valid access token (of an admin, a member, or an existing user), then sometimes a
 * few of them wrong: of the wrong type, out of range, from another pool, or missing.
 */
function claimsArbitrary(context: FuzzContext): fc.Arbitrary<Record<string, unknown>> {
  const now = Math.floor(Date.now() / 1000);
  const wrong = fc.oneof(
    text,
    fc.integer(),
    fc.integer({ min: now - 7200, max: now + 7200 }),
    fc.constantFrom(null, 1e20, -1, 'id', 'access ', `${context.pool.issuer}/`, {}, [], ['admin', 'admin']),
    fc.array(text, { maxLength: 3 }),
  );
  const sub = fc.oneof(
    { weight: 3, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.constantFrom(...context.subs) },
    { weight: 1, arbitrary: text },
  );
  const groups = fc.oneof(
    { weight: 4, arbitrary: fc.constant(['admin']) },
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.array(text, { maxLength: 3 }) },
  );
  const names = [
    'sub',
    'username',
    'client_id',
    'iss',
    'token_use',
    'exp',
    'iat',
    'nbf',
    'scope',
    'cognito:groups',
    'aud',
    'auth_time',
    'jti',
  ];
  return fc
    .tuple(sub, groups, text, mutations(names, wrong))
    .map(([subject, group, username, changes]) =>
      applied({ ...context.pool.claims({ sub: subject, username, jti: 'fuzz' }), 'cognito:groups': group }, changes),
    );
}

/** A token really signed by the test pool's key, with claims and a JOSE header drawn at random; sometimes unsigned or mangled. */
function tokenArbitrary(context: FuzzContext): fc.Arbitrary<string> {
  const { pool } = context;
  const wrongHeader = fc.oneof(
    text,
    fc.integer(),
    fc.constantFrom(null, 'none', 'HS256', 'RS512', ['RS256'], 'http://127.0.0.1:1/jwks.json'),
  );
  const header = mutations(['alg', 'kid', 'typ', 'crit', 'jku', 'x5u', 'jwk'], wrongHeader).map((changes) =>
    applied({ alg: 'RS256', typ: 'JWT', kid: pool.key.kid }, changes),
  );
  return fc
    .tuple(
      header,
      claimsArbitrary(context),
      fc.oneof({ weight: 20, arbitrary: fc.constant('signed') }, fc.constantFrom('unsigned', 'mangled')),
    )
    .map(([jose, claims, signing]) => {
      const content = `${base64url(jose)}.${base64url(claims)}`;
      const signature = sign('RSA-SHA256', Buffer.from(content), pool.key.privateKey).toString('base64url');
      if (signing === 'unsigned') return `${content}.`;
      return `${content}.${signing === 'mangled' ? signature.slice(0, -4) + 'AAAA' : signature}`;
    });
}

function authorization(context: FuzzContext): fc.Arbitrary<string | string[] | undefined> {
  const token = tokenArbitrary(context);
  const bearer = token.map((value) => `Bearer ${value}`);
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(undefined) },
    { weight: 20, arbitrary: bearer },
    { weight: 1, arbitrary: fc.tuple(bearer, bearer).map(([a, b]) => [a, b]) },
    { weight: 1, arbitrary: token.map((value) => `bearer   ${value}`) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom('Basic ', 'Bearer ', 'Token ', ''), headerText).map(([scheme, rest]) => scheme + rest),
    },
  );
}

/** encodeURIComponent throws on unpaired surrogates, which a URL cannot carry anyway. */
function encodeText(value: string): string {
  return encodeURIComponent(value.replace(/\p{Cs}/gu, '\ufffd'));
}

/** A path for a route: its parameters (and wildcard) filled with real ids, uuids or hostile text; sometimes any path at all. */
function pathArbitrary(context: FuzzContext, route: RegisteredRoute): fc.Arbitrary<string> {
  const param = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...context.userIds) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: text.map(encodeText) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%00', '%ED%A0%80', '..', '') },
  );
  const fromRoute = fc
    .tuple(fc.array(param, { minLength: 4, maxLength: 4 }), fc.constantFrom('', '', '', '', '', '/', '//'))
    .map(([params, tail]) => {
      let i = 0;
      return route.path.replace(/:[A-Za-z0-9_]+|\*/g, () => params[i++ % params.length]) + tail;
    });
  return fc.oneof({ weight: 19, arbitrary: fromRoute }, { weight: 1, arbitrary: fc.webPath().map((path) => path || '/') });
}

/** Parameter names: the lists' own, the route's classes' every member, and random text. */
function queryArbitrary(context: FuzzContext, route: RegisteredRoute): fc.Arbitrary<string> {
  const members = context.dtoNames.get(routeKey(route.method, route.path)) ?? [];
  const key = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom('page', 'pageSize', 'search', 'sort', 'order', 'isActive', 'targetId', 'sub', 'email', 'username'),
    },
    ...(members.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...members) }] : []),
    { weight: 1, arbitrary: text },
  );
  const value = fc.oneof(
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '1',
        '2',
        '20',
        '100',
        '101',
        'true',
        'false',
        'asc',
        'desc',
        'createdAt',
        'username',
        '00000000-0000-4000-8000-000000000000',
      ),
    },
    { weight: 3, arbitrary: text },
  );
  const encode = encodeText;
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant('') },
    {
      weight: 6,
      arbitrary: fc
        .array(fc.tuple(key, value), { maxLength: 5 })
        .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&')}` : '')),
    },
    { weight: 1, arbitrary: fc.constantFrom('?%', '?page=%zz', '?a=%00&&=', '?search=%ED%A0%80', '?=&=&', `?${'a=1&'.repeat(500)}`) },
  );
}

/** Requests to every route the server registers, plus some to none: methods, paths, queries, headers, bodies and tokens. */
export function requestArbitrary(context: FuzzContext): fc.Arbitrary<FuzzRequest> {
  // The API's own routes get most requests; static files and docs pages the rest.
  const api = context.routes.filter((route) => route.path.startsWith('/api/v1/'));
  const others = context.routes.filter((route) => !route.path.startsWith('/api/v1/'));
  const routes = others.length
    ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...api) }, { weight: 1, arbitrary: fc.constantFrom(...others) })
    : fc.constantFrom(...api);
  return routes
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        otherMethod: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, fc.constantFrom(...METHODS)),
        path: pathArbitrary(context, route),
        query: queryArbitrary(context, route),
        authorization: authorization(context),
        body,
        contentType: fc.option(contentType, { freq: 8 }),
        extraHeaders: fc.dictionary(
          fc.constantFrom('accept', 'accept-encoding', 'x-request-id', 'origin', 'if-none-match', 'x-forwarded-for', 'cookie', 'range'),
          headerText,
          { maxKeys: 3 },
        ),
      }),
    )
    .map(({ route, otherMethod, path, query, authorization: auth, body: payload, contentType: type, extraHeaders }) => {
      const headers: Record<string, string | string[]> = { ...extraHeaders, connection: 'keep-alive' };
      if (auth !== undefined) headers.authorization = auth;
      if (payload !== undefined && type !== null) headers['content-type'] = type;
      return { method: otherMethod ?? route.method, path: `${path}${query}`, headers, body: payload };
    });
}
