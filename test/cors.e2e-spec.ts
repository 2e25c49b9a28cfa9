import { LOCAL_DEV_ORIGINS, startLocalStack } from '../dev/local/local-stack.js';
import { signIn } from './support/cognito.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const SPA = 'https://app.example.com';
const DEV_SPA = 'http://localhost:5173';

/** A browser's preflight: OPTIONS with Origin, the method and the headers the real request will send. */
function preflight(url: string, origin: string, method = 'GET', headers = 'authorization'): Promise<Response> {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

function corsHeaders(response: Response): Record<string, string> {
  return Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-')));
}

function list(value: string | null): string[] {
  return (value ?? '').split(',').map((item) => item.trim().toLowerCase());
}

describe('CORS for single-page apps', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({ env: { CORS_ORIGINS: `${SPA},${DEV_SPA}` } });
  });
  afterAll(async () => {
    await sut.close();
  });

  it("answers an allowed origin's preflight for a GET with a bearer token", async () => {
    const response = await preflight(`${sut.url}/api/v1/me`, SPA);
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(list(response.headers.get('access-control-allow-headers'))).toEqual(expect.arrayContaining(['authorization', 'content-type']));
    expect(list(response.headers.get('access-control-allow-methods'))).toEqual(expect.arrayContaining(['get', 'patch']));
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(list(response.headers.get('vary'))).toContain('origin');
  });

  it('answers a preflight for a JSON PATCH from the other configured origin', async () => {
    const response = await preflight(`${sut.url}/api/v1/me`, DEV_SPA, 'PATCH', 'authorization,content-type');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(DEV_SPA);
  });

  it('gives other origins no CORS headers at all, near misses included', async () => {
    for (const origin of [
      'https://evil.example.com',
      'http://app.example.com',
      'https://app.example.com:8443',
      'https://app.example.com.evil.com',
      'null',
    ]) {
      const response = await preflight(`${sut.url}/api/v1/me`, origin);
      expect({ origin, headers: corsHeaders(response) }).toEqual({ origin, headers: {} });
      expect(response.status).not.toBe(204);
      await response.arrayBuffer();
    }
  });

  it('lets the SPA read the profile, and the error of a refused token, with the headers it needs', async () => {
    const { accessToken } = await signIn('alice');
    const ok = await fetch(`${sut.url}/api/v1/me`, { headers: { origin: SPA, authorization: `Bearer ${accessToken}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(((await ok.json()) as { username: string }).username).toBe('alice');

    const refused = await fetch(`${sut.url}/api/v1/me`, { headers: { origin: SPA } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(list(refused.headers.get('access-control-expose-headers'))).toContain('www-authenticate');
    expect(((await refused.json()) as { code: string }).code).toBe('token_missing');
  });

  it('adds nothing to an actual request from another origin', async () => {
    const response = await fetch(`${sut.url}/api/v1/me`, { headers: { origin: 'https://evil.example.com' } });
    expect(response.status).toBe(401);
    expect(corsHeaders(response)).toEqual({});
    await response.arrayBuffer();
  });
});

describe('CORS origins by default', () => {
  it('allows no origin at all when CORS_ORIGINS is unset', async () => {
    const sut = await startTestApp();
    try {
      const response = await preflight(`${sut.url}/api/v1/me`, DEV_SPA);
      expect(corsHeaders(response)).toEqual({});
      await response.arrayBuffer();
    } finally {
      await sut.close();
    }
  });

  it('npm start allows the local dev servers unless CORS_ORIGINS says otherwise, never in production', async () => {
    // Both set, so that the local stack starts nothing and only fills in CORS_ORIGINS.
    const configured = { DATABASE_URL: 'postgres://unused', COGNITO_USER_POOL_ID: 'local_unused' };
    const local = await startLocalStack({ apiPort: 8000, env: configured });
    expect(local.env.CORS_ORIGINS?.split(',')).toEqual(LOCAL_DEV_ORIGINS);
    expect(LOCAL_DEV_ORIGINS).toEqual(
      expect.arrayContaining(['http://localhost:3000', 'http://127.0.0.1:5173', 'http://localhost:4200', 'http://localhost:8080']),
    );
    expect((await startLocalStack({ apiPort: 8000, env: { ...configured, CORS_ORIGINS: '' } })).env.CORS_ORIGINS).toBe('');
    expect((await startLocalStack({ apiPort: 8000, env: { ...configured, NODE_ENV: 'production' } })).env.CORS_ORIGINS).toBeUndefined();

    const sut = await startTestApp({ env: { CORS_ORIGINS: local.env.CORS_ORIGINS! } });
    try {
      for (const origin of ['http://localhost:5173', 'http://127.0.0.1:3000']) {
        const response = await preflight(`${sut.url}/api/v1/me`, origin);
        expect(response.status).toBe(204);
        expect(response.headers.get('access-control-allow-origin')).toBe(origin);
      }
    } finally {
      await sut.close();
    }
  });
});
