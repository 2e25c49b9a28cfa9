import { readBearerCredential, readBearerToken } from './bearer-token.js';
import { TokenError } from './token-errors.js';

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
const ONE_TOKEN = 'The Authorization header must be "Bearer <token>" with exactly one token.';

function refusal(header: string | string[] | undefined): { code: string; message: string } | 'accepted' {
  try {
    readBearerToken(header);
    return 'accepted';
  } catch (error) {
    const { code, message } = error as TokenError;
    return { code, message };
  }
}

describe(readBearerToken.name, () => {
  it('takes the token of a Bearer header, whatever the scheme case and however many spaces follow it', () => {
    expect(readBearerToken(`Bearer ${jwt}`)).toBe(jwt);
    expect(readBearerToken(`bEaReR ${jwt}`)).toBe(jwt);
    expect(readBearerToken(`  Bearer   ${jwt} `)).toBe(jwt);
  });

  it('says token_missing when there is no header at all', () => {
    expect(refusal(undefined)).toMatchObject({ code: 'token_missing' });
    expect(refusal('')).toMatchObject({ code: 'token_missing' });
  });

  it.each([
    ['another scheme', `Basic ${jwt}`],
    ['a longer scheme', `Bearers ${jwt}`],
    ['no token', 'Bearer'],
    ['only spaces after the scheme', 'Bearer    '],
    ['two tokens', `Bearer ${jwt} ${jwt}`],
    ['a tab inside the token', `Bearer ${jwt.slice(0, 10)}\t${jwt.slice(10)}`],
    ['a tab after the scheme', `Bearer\t${jwt}`],
    ['a no-break space after the scheme', `Bearer\u00a0${jwt}`],
    ['no scheme', jwt],
  ])('says token_malformed, one token in a Bearer header, for %s', (_case, header) => {
    expect(refusal(header)).toEqual({ code: 'token_malformed', message: ONE_TOKEN });
  });

  it.each([
    ['two segments', 'Bearer abc.def'],
    ['a non-base64url character', `Bearer ${jwt}=`],
    ['an empty segment', 'Bearer abc..def'],
  ])('says token_malformed, not a JWT, for %s', (_case, header) => {
    expect(refusal(header)).toEqual({
      code: 'token_malformed',
      message: 'The bearer token is not a JWT (three base64url segments separated by dots).',
    });
  });

  it('says token_malformed for repeated headers', () => {
    expect(refusal([`Bearer ${jwt}`, `Bearer ${jwt}`])).toMatchObject({ code: 'token_malformed' });
  });
});

describe(readBearerCredential.name, () => {
  it('reads the scheme as readBearerToken does and leaves the credential unchecked (a cache lookup needs no more)', () => {
    expect(readBearerCredential(`Bearer ${jwt}`)).toBe(jwt);
    expect(readBearerCredential('Bearer not a jwt')).toBe('not a jwt');
    expect(() => readBearerCredential(`Basic ${jwt}`)).toThrow(ONE_TOKEN);
  });
});
