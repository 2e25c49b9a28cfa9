import { spawnSync } from 'node:child_process';

describe('Production start-up', () => {
  it('refuses a non-https COGNITO_ENDPOINT and a missing DATABASE_URL, listing both, with exit code 1', () => {
    const result = spawnSync(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        COGNITO_REGION: 'us-west-2',
        COGNITO_USER_POOL_ID: 'local_abc123',
        COGNITO_CLIENT_IDS: 'client-a',
        COGNITO_ENDPOINT: 'http://127.0.0.1:9229',
      },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid configuration');
    expect(result.stderr).toContain('DATABASE_URL is required');
    expect(result.stderr).toContain('COGNITO_ENDPOINT must be https in production');
    expect(result.stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });
});
