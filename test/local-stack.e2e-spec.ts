import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import pg from 'pg';
import { runMigrations } from '../src/database/migrate.js';
import { emulatorClient, freePort } from '@backend/local-cognito';
import { LOCAL_DEV_ORIGINS, startLocalStack, stackFile, webCallbackUrls, type LocalStackInfo } from '../dev/local/local-stack.js';

describe('The local stack behind `npm start`', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'local-stack-'));
  chmodSync(dataDir, 0o755);

  async function start() {
    return startLocalStack({ dataDir, apiPort: 8000, emulatorPort: await freePort(), databasePort: await freePort(), env: {} });
  }

  it('seeds a pool with alice and admin and a pool staff with sam, and a second start reuses the same pools, users and rows', async () => {
    const first = await start();
    let firstInfo: LocalStackInfo;
    try {
      firstInfo = first.info!;
      expect(JSON.parse(readFileSync(stackFile(dataDir), 'utf8'))).toEqual(firstInfo);
      expect(firstInfo.users.map((user) => [user.username, user.groups])).toEqual([
        ['alice', []],
        ['admin', ['admin']],
      ]);
      expect(first.env).toMatchObject({
        COGNITO_USER_POOL_ID: firstInfo.userPoolId,
        COGNITO_CLIENT_IDS: `${firstInfo.backendClientId},${firstInfo.webClientId},${firstInfo.webRotatingClientId},${firstInfo.serviceClientId}`,
        COGNITO_ENDPOINT: firstInfo.endpoint,
      });
      // The top-level fields describe the first pool, and `pools` holds the same fields for each.
      const { apiUrl: _apiUrl, pools, ...firstPool } = firstInfo;
      expect(Object.keys(pools)).toEqual(['default', 'staff']);
      expect(pools.default).toEqual(firstPool);
      const staff = pools.staff;
      expect(staff).toMatchObject({ endpoint: firstInfo.endpoint, adminGroup: 'admin' });
      expect(staff.userPoolId).not.toBe(firstInfo.userPoolId);
      expect(staff.users.map((user) => [user.username, user.groups])).toEqual([['sam', ['admin']]]);
      expect(first.env).toMatchObject({
        COGNITO_POOLS: 'staff',
        COGNITO_STAFF_ENDPOINT: firstInfo.endpoint,
        COGNITO_STAFF_USER_POOL_ID: staff.userPoolId,
        COGNITO_STAFF_CLIENT_IDS: `${staff.backendClientId},${staff.webClientId},${staff.webRotatingClientId},${staff.serviceClientId}`,
      });
      await runMigrations(first.env.DATABASE_URL!);
      const client = new pg.Client({ connectionString: first.env.DATABASE_URL });
      await client.connect();
      await client.query(`INSERT INTO users (sub, username) VALUES ('kept-sub', 'kept')`);
      await client.end();
    } finally {
      await first.stop();
    }

    const second = await start();
    try {
      expect(second.info).toMatchObject({
        userPoolId: firstInfo.userPoolId,
        backendClientId: firstInfo.backendClientId,
        webClientId: firstInfo.webClientId,
        serviceClientId: firstInfo.serviceClientId,
        serviceClientSecret: firstInfo.serviceClientSecret,
      });
      // The same pool (each start takes a port of its own).
      expect(second.info!.pools.staff).toEqual({ ...firstInfo.pools.staff, endpoint: second.info!.endpoint });
      const client = new pg.Client({ connectionString: second.env.DATABASE_URL });
      await client.connect();
      const { rows } = await client.query(`SELECT username FROM users WHERE sub = 'kept-sub'`);
      await client.end();
      expect(rows).toEqual([{ username: 'kept' }]);

      const cognito = emulatorClient(second.info!.endpoint);
      const alice = second.info!.users[0];
      const auth = await cognito.send(
        new AdminInitiateAuthCommand({
          UserPoolId: second.info!.userPoolId,
          ClientId: second.info!.backendClientId,
          AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: alice.username, PASSWORD: alice.password },
        }),
      );
      cognito.destroy();
      expect(auth.AuthenticationResult?.AccessToken).toEqual(expect.any(String));
    } finally {
      await second.stop();
    }
    // Two full starts (PostgreSQL, the pool and its seeding), one after the other.
  }, 90_000);

  it('starts nothing of its own for what is configured, and opens CORS to local dev servers', async () => {
    const stack = await startLocalStack({
      dataDir,
      apiPort: 8000,
      env: { DATABASE_URL: 'postgres://somewhere/db', COGNITO_USER_POOL_ID: 'us-west-2_Real' },
    });
    expect(stack.info).toBeUndefined();
    expect(stack.env).toEqual({
      DATABASE_URL: 'postgres://somewhere/db',
      COGNITO_USER_POOL_ID: 'us-west-2_Real',
      CORS_ORIGINS: LOCAL_DEV_ORIGINS.join(','),
      // A sign-out at the pool shows within seconds under npm start.
      TOKEN_RECHECK_SECONDS: '5',
    });
    await stack.stop();
  });

  it("registers the dev servers' callbacks on the web client, or those of LOCAL_CALLBACK_URLS, besides /admin", () => {
    const defaults = webCallbackUrls(8000, {});
    expect(defaults.slice(0, 2)).toEqual(['http://localhost:8000/admin', 'http://127.0.0.1:8000/admin']);
    for (const port of [3000, 5173, 4200, 8080]) {
      for (const host of ['localhost', '127.0.0.1']) {
        expect(defaults).toEqual(expect.arrayContaining([`http://${host}:${port}/`, `http://${host}:${port}/callback`]));
      }
    }
    expect(defaults).toHaveLength(2 + 16);
    expect(webCallbackUrls(8001, { LOCAL_CALLBACK_URLS: ' http://localhost:9000/auth , https://dev.example.test/cb ' })).toEqual([
      'http://localhost:8001/admin',
      'http://127.0.0.1:8001/admin',
      'http://localhost:9000/auth',
      'https://dev.example.test/cb',
    ]);
    expect(() => webCallbackUrls(8000, { LOCAL_CALLBACK_URLS: 'localhost:5173' })).toThrow(
      'LOCAL_CALLBACK_URLS must be comma-separated http(s) URLs, e.g. http://localhost:5173/callback (got "localhost:5173").',
    );
  });
});
