import { createServer, type Server } from 'node:http';
import { freePort, secretHash } from '@backend/local-cognito';
import { call } from './support/http.js';
import { runScript } from './support/run-command.js';
import { testStack } from './support/stack-env.js';
import { writeStackFile } from './support/stack-file.js';
import { staffPoolEnv, startTestApp, type TestApp } from './support/test-app.js';
import { claims } from './support/jwt-claims.js';

const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

describe('npm run token against the local pool', () => {
  let api: TestApp;
  let stackFile: string;

  beforeAll(async () => {
    // Both local pools, as under npm start.
    api = await startTestApp({ env: staffPoolEnv() });
    stackFile = writeStackFile();
  });
  afterAll(async () => {
    await api.close();
  });

  it('prints only an access token, which the API accepts', async () => {
    const result = await runScript('token', ['alice'], { LOCAL_STACK_FILE: stackFile });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const token = result.stdout.trim();
    expect(claims(token)).toMatchObject({ token_use: 'access', username: 'alice', client_id: testStack().backendClientId });

    const me = await call(`${api.url}/api/v1/me`, { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'alice', groups: [] });
  });

  it('signs sam in to the local pool staff with --pool staff, and says which pools there are for an unknown one', async () => {
    const result = await runScript('token', ['sam', '--pool', 'staff'], { LOCAL_STACK_FILE: stackFile });
    expect(result.code).toBe(0);
    const token = result.stdout.trim();
    expect(claims(token)).toMatchObject({ username: 'sam', client_id: testStack().staff.backendClientId, 'cognito:groups': ['admin'] });
    await expect(call(`${api.url}/api/v1/me`, { token })).resolves.toMatchObject({ status: 200, body: { pool: 'staff', username: 'sam' } });

    const machine = await runScript('token', ['--client', 'service', '--pool', 'staff'], { LOCAL_STACK_FILE: stackFile });
    expect(machine.code).toBe(0);
    expect(claims(machine.stdout.trim())).toMatchObject({ client_id: testStack().staff.serviceClientId });

    const unknown = await runScript('token', ['sam', '--pool', 'nowhere'], { LOCAL_STACK_FILE: stackFile });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('The local stack has no pool "nowhere" (its pools: default, staff).');
    const inDefault = await runScript('token', ['sam'], { LOCAL_STACK_FILE: stackFile });
    expect(inDefault.code).toBe(1);
    expect(inDefault.stderr).toContain('No user "sam" in the local pool (seeded users: alice, admin; other pools: --pool staff;');
  });

  it('prints access, id and refresh tokens with their expiry as JSON', async () => {
    const result = await runScript('token', ['admin', '--json'], { LOCAL_STACK_FILE: stackFile });
    expect(result.code).toBe(0);
    const tokens = JSON.parse(result.stdout) as Record<string, string | number>;
    expect(tokens).toEqual({
      username: 'admin',
      tokenType: 'Bearer',
      expiresIn: expect.any(Number),
      expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      accessToken: expect.stringMatching(JWT),
      idToken: expect.stringMatching(JWT),
      refreshToken: expect.any(String),
    });
    const access = claims(tokens.accessToken as string);
    expect(access).toMatchObject({ token_use: 'access', 'cognito:groups': ['admin'] });
    expect(claims(tokens.idToken as string)).toMatchObject({ token_use: 'id', 'cognito:username': 'admin' });
    expect(String(tokens.refreshToken).length).toBeGreaterThan(20);
    expect(Date.parse(tokens.expiresAt as string) / 1000).toBe(access.exp);
    expect(tokens.expiresIn).toBeGreaterThan(3000);

    const me = await call(`${api.url}/api/v1/me`, { token: tokens.accessToken as string });
    expect(me.body).toMatchObject({ username: 'admin', groups: ['admin'] });
  });

  it('says so when the user does not exist or the password is wrong, printing nothing on stdout', async () => {
    const unknown = await runScript('token', ['nobody'], { LOCAL_STACK_FILE: stackFile });
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('No user "nobody" in the local pool');

    const wrong = await runScript('token', ['alice', '--password', 'Not-her-pass-9'], { LOCAL_STACK_FILE: stackFile });
    expect(wrong).toMatchObject({ code: 1, stdout: '' });
    expect(wrong.stderr).toContain('Wrong password for "alice"');
    expect(wrong.stderr).not.toContain('Not-her-pass-9');
  });

  it('says so when the emulator is not running or the stack was never started', async () => {
    const down = await runScript('token', ['alice'], {
      LOCAL_STACK_FILE: writeStackFile({ endpoint: `http://127.0.0.1:${await freePort()}` }),
    });
    expect(down).toMatchObject({ code: 1, stdout: '' });
    expect(down.stderr).toMatch(/The local Cognito emulator is not running at http:\/\/127\.0\.0\.1:\d+: start the stack with `npm start`/);

    const never = await runScript('token', ['alice'], { LOCAL_STACK_FILE: '/nonexistent/local-stack.json' });
    expect(never).toMatchObject({ code: 1, stdout: '' });
    expect(never.stderr).toContain('No local pool found');
  });

  it('refuses a call without a username, with the usage', async () => {
    const result = await runScript('token', [], { LOCAL_STACK_FILE: stackFile });
    expect(result).toMatchObject({ code: 2, stdout: '' });
    expect(result.stderr).toContain('Usage: npm run -s token -- <username>');
  });
});

describe('npm run token against a configured pool', () => {
  /** The test emulator, configured as a real pool would be, with AWS credentials from the environment. */
  function poolEnv(extra: Record<string, string> = {}): Record<string, string> {
    const stack = testStack();
    return {
      COGNITO_REGION: stack.region,
      COGNITO_USER_POOL_ID: stack.userPoolId,
      COGNITO_ENDPOINT: stack.emulatorEndpoint,
      COGNITO_BACKEND_CLIENT_ID: stack.backendClientId,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example-secret',
      ...extra,
    };
  }

  it('signs in with the password from COGNITO_USER_PASSWORD, through the default credential chain', async () => {
    const result = await runScript('token', ['alice', '--json'], poolEnv({ COGNITO_USER_PASSWORD: 'Alice-pass-1' }));
    expect(result.code).toBe(0);
    const tokens = JSON.parse(result.stdout) as { accessToken: string };
    expect(claims(tokens.accessToken)).toMatchObject({
      username: 'alice',
      iss: `${testStack().emulatorEndpoint}/${testStack().userPoolId}`,
    });
  });

  it('asks for the password instead of guessing it', async () => {
    const result = await runScript('token', ['alice'], poolEnv());
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('--password or COGNITO_USER_PASSWORD');
  });

  it('explains missing AWS credentials', async () => {
    const env = poolEnv({
      COGNITO_USER_PASSWORD: 'Alice-pass-1',
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
    delete env.AWS_ACCESS_KEY_ID;
    delete env.AWS_SECRET_ACCESS_KEY;
    const result = await runScript('token', ['alice'], env);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('No AWS credentials found');
  });

  it('lists every missing variable at once', async () => {
    const result = await runScript('token', ['alice'], { COGNITO_USER_POOL_ID: 'us-west-2_AbCdEf123' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('COGNITO_REGION is required');
    expect(result.stderr).toContain('COGNITO_BACKEND_CLIENT_ID is required');
  });
});

/**
 * The emulator checks no SECRET_HASH and never asks for a new password, so these two answers of
 * real Cognito come from a stand-in speaking its JSON protocol.
 */
describe('npm run token with a client secret and a challenge', () => {
  const CLIENT_ID = 'client-with-secret';
  const CLIENT_SECRET = 'the-client-secret';
  let server: Server;
  let endpoint: string;

  beforeAll(async () => {
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const jwt = (payload: object) => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.c2ln`;
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const { AuthParameters: params } = JSON.parse(body) as { AuthParameters: Record<string, string> };
        const reply = (status: number, json: object) =>
          response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(json));
        if (params.SECRET_HASH !== secretHash(params.USERNAME, CLIENT_ID, CLIENT_SECRET)) {
          return reply(400, {
            __type: 'NotAuthorizedException',
            message: `Client ${CLIENT_ID} is configured with secret but SECRET_HASH was not received`,
          });
        }
        if (params.USERNAME === 'newbie')
          return reply(200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'session', ChallengeParameters: {} });
        return reply(200, {
          AuthenticationResult: {
            AccessToken: jwt({ exp, token_use: 'access' }),
            IdToken: jwt({ exp }),
            RefreshToken: 'refresh',
            ExpiresIn: 3600,
            TokenType: 'Bearer',
          },
        });
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((done) => server.close(done));
  });

  const env = (extra: Record<string, string> = {}) => ({
    COGNITO_REGION: 'us-west-2',
    COGNITO_USER_POOL_ID: 'us-west-2_AbCdEf123',
    COGNITO_ENDPOINT: endpoint,
    COGNITO_BACKEND_CLIENT_ID: CLIENT_ID,
    COGNITO_USER_PASSWORD: 'Some-pass-1',
    AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'example-secret',
    ...extra,
  });

  it('sends the SECRET_HASH of COGNITO_BACKEND_CLIENT_SECRET', async () => {
    const result = await runScript('token', ['alice', '--json'], env({ COGNITO_BACKEND_CLIENT_SECRET: CLIENT_SECRET }));
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ username: 'alice', expiresIn: 3600, refreshToken: 'refresh' });
  });

  it('tells what to set when the client has a secret and none is configured', async () => {
    const result = await runScript('token', ['alice'], env());
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('has a secret: set COGNITO_BACKEND_CLIENT_SECRET');
  });

  it('explains a challenge it cannot answer', async () => {
    const result = await runScript('token', ['newbie'], env({ COGNITO_BACKEND_CLIENT_SECRET: CLIENT_SECRET }));
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain('Cognito asks for the NEW_PASSWORD_REQUIRED challenge');
  });
});
