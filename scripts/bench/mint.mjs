// Signs access tokens for `npm run bench` (RS256, Cognito's access-token claims), one process per core.
// argv[2]: a JSON file { keyPem, kid, issuer, clientId, count, out, users?, part }; writes a JSON array of tokens to `out`.
import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const job = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const key = createPrivateKey(job.keyPem);
const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
const header = base64url({ alg: 'RS256', kid: job.kid, typ: 'JWT' });
const now = Math.floor(Date.now() / 1000);
const tokens = [];
for (let index = 0; index < job.count; index++) {
  // Known users (refreshed sessions): both signing processes cycle through them from different ends.
  const known = job.users?.[(index * 2 + job.part) % job.users.length];
  const sub = known?.sub ?? randomUUID();
  const payload = base64url({
    sub,
    iss: job.issuer,
    client_id: job.clientId,
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: known?.auth_time ?? now,
    // One per sign-in session, kept through refreshes, as in Cognito's tokens (the API rechecks by session).
    origin_jti: known?.origin_jti ?? randomUUID(),
    iat: now,
    // Cognito's longest access-token lifetime: cached token sets serve a day of runs.
    exp: now + 86_400,
    jti: randomUUID(),
    username: known?.username ?? `bench-${sub.slice(0, 13)}`,
  });
  const signature = sign('sha256', Buffer.from(`${header}.${payload}`), key).toString('base64url');
  tokens.push(`${header}.${payload}.${signature}`);
}
writeFileSync(job.out, JSON.stringify(tokens));
