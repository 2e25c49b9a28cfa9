import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const HOSTED_UI = 'https://example-prefix.auth.us-east-1.amazoncognito.com';

describe('The /admin page files and sign-in settings', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp({
      env: { COGNITO_DOMAIN: HOSTED_UI, COGNITO_WEB_CLIENT_ID: 'web-client-1', COGNITO_CLIENT_IDS: 'backend-client,web-client-1' },
    });
  });
  afterAll(async () => {
    await sut.close();
  });

  it('serves the page and its assets without a token, and revalidates them by ETag', async () => {
    for (const [path, type] of [
      ['/admin', /^text\/html/],
      ['/admin/', /^text\/html/],
      ['/admin/assets/app.js', /^text\/javascript/],
      ['/admin/assets/app.css', /^text\/css/],
    ] as const) {
      const response = await fetch(`${sut.url}${path}`);
      expect([path, response.status]).toEqual([path, 200]);
      expect(response.headers.get('content-type')).toMatch(type);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      const etag = response.headers.get('etag')!;
      // As a browser revalidates on a load: fetch() would otherwise add `cache-control: no-cache`,
      // a forced reload, which rightly gets the whole file.
      const again = await fetch(`${sut.url}${path}`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
      expect([path, again.status]).toEqual([path, 304]);
    }
  });

  it('serves nothing else from the build folder or beyond', async () => {
    for (const path of [
      '/admin/assets/index.html',
      '/admin/assets/app.js.map',
      '/admin/assets/..%2F..%2Fpackage.json',
      '/admin/assets/%2e%2e/index.html',
    ]) {
      const response = await call(`${sut.url}${path}`);
      expect([path, response.status]).toEqual([path, 404]);
    }
  });

  it("gives the page the pool's sign-in endpoints, with the Hosted UI's logout", async () => {
    const response = await call(`${sut.url}/admin/settings.json`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      signIn: {
        authorizeUrl: `${HOSTED_UI}/oauth2/authorize`,
        tokenUrl: `${HOSTED_UI}/oauth2/token`,
        logoutUrl: `${HOSTED_UI}/logout`,
        clientId: 'web-client-1',
        scopes: 'openid email profile aws.cognito.signin.user.admin',
      },
      pools: ['default'],
    });
  });

  it('lets the page call the Hosted UI domain and nothing else beyond this origin', async () => {
    const csp = (await fetch(`${sut.url}/admin`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`connect-src 'self' ${HOSTED_UI};`);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("style-src 'self';"); // no inline styles: they are for the API docs pages only
  });

  it('puts the security headers on API answers too', async () => {
    const response = await fetch(`${sut.url}/api/v1/me`);
    expect(response.status).toBe(401);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('says so when sign-in is not configured', async () => {
    const bare = await startTestApp({ db: sut.db });
    try {
      expect((await call(`${bare.url}/admin/settings.json`)).body).toEqual({ signIn: null, pools: ['default'] });
      expect((await fetch(`${bare.url}/admin`)).headers.get('content-security-policy')).toContain("connect-src 'self';");
    } finally {
      await bare.close();
    }
  });
});
