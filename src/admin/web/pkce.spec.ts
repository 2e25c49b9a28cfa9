import { base64url, challengeOf, randomString } from './pkce.js';

describe('PKCE helpers of the /admin page', () => {
  it('computes the S256 challenge of the RFC 7636 example (appendix B)', async () => {
    await expect(challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).resolves.toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('makes 43-character URL-safe verifiers that differ every time', () => {
    const verifiers = new Set(Array.from({ length: 50 }, () => randomString()));
    expect(verifiers.size).toBe(50);
    for (const verifier of verifiers) expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('encodes base64url without padding', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
  });
});
