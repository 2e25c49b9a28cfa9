// The second reference of `npm run bench`: a new user's first request written by hand, with none of the
// API's framework, logging, caches or batching. It does the same work per request as the API's first
// sight: verify the RS256 signature with node:crypto, read the profile with GetUser over node:http, and
// insert the row with one pg query (into a table of its own, with only its primary and unique keys).
// What it answers is what the hardware allows a first sight to cost; the API is measured against it.
// The job comes as JSON in argv[2]: { port, issuer, clientId, databaseUrl }.
import { createPublicKey, verify } from 'node:crypto';
import { Agent, request } from 'node:http';
import Fastify from 'fastify';
import pg from 'pg';

const { port, issuer, clientId, databaseUrl } = JSON.parse(process.argv[2]);
const jwks = await fetch(`${issuer}/.well-known/jwks.json`).then((response) => response.json());
const keys = new Map(jwks.keys.map((jwk) => [jwk.kid, createPublicKey({ key: jwk, format: 'jwk' })]));
const database = new pg.Pool({ connectionString: databaseUrl, max: 10 });
await database.query(`
  CREATE TABLE IF NOT EXISTS bench_lean_users (
    id bigserial PRIMARY KEY,
    sub varchar(255) NOT NULL UNIQUE,
    username varchar(2048),
    email varchar(2048),
    first_name varchar(2048),
    created_at timestamptz NOT NULL DEFAULT now()
  )`);
const pool = new URL(issuer).origin;
const agent = new Agent({ keepAlive: true });

function getUser(token) {
  const body = JSON.stringify({ AccessToken: token });
  return new Promise((resolve, reject) => {
    const call = request(`${pool}/`, {
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser',
        'content-length': Buffer.byteLength(body),
      },
    });
    call.once('error', reject);
    call.once('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.once('end', () => resolve(JSON.parse(text)));
    });
    call.end(body);
  });
}

/** The claims of a valid access token of this pool and client, or undefined. */
function verified(authorization) {
  const token = authorization?.startsWith('Bearer ') ? authorization.slice(7) : '';
  const [header, payload, signature] = token.split('.');
  if (!signature) return undefined;
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString());
  const key = keys.get(kid);
  if (!key || alg !== 'RS256') return undefined;
  if (!verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) return undefined;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
  const fresh = claims.exp > Date.now() / 1000;
  return fresh && claims.iss === issuer && claims.token_use === 'access' && claims.client_id === clientId ? { token, claims } : undefined;
}

const app = Fastify({ logger: false });
app.get('/api/v1/me', async (req, reply) => {
  const caller = verified(req.headers.authorization);
  if (!caller) return reply.code(401).send({ error: 'token_invalid' });
  const profile = await getUser(caller.token);
  const attributes = Object.fromEntries(profile.UserAttributes.map(({ Name, Value }) => [Name, Value]));
  const { rows } = await database.query(
    `INSERT INTO bench_lean_users (sub, username, email, first_name) VALUES ($1, $2, $3, $4)
     ON CONFLICT (sub) DO UPDATE SET username = excluded.username RETURNING *`,
    [caller.claims.sub, profile.Username, attributes.email ?? null, attributes.given_name ?? null],
  );
  const [row] = rows;
  return { id: row.id, sub: row.sub, username: row.username, email: row.email, firstName: row.first_name, createdAt: row.created_at };
});
app.get('/', () => ({ ready: true }));
await app.listen({ port, host: '127.0.0.1' });
