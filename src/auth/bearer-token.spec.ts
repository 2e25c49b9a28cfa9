import { readBearerToken } from './bearer-token.js';
import { TokenError } from './token-errors.js';

const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

function codeOf(header: string | string[] | undefined): string {
  try {
    readBearerToken(header);
    return 'accepted';
  } catch (error) {
    return (error as TokenError).code;
  }
}

describe(readBearerToken.name, () => {
  it('takes the token of a Bearer header, whatever the scheme case', () => {
    expect(readBearerToken(`Bearer ${jwt}`)).toBe(jwt);
    expect(readBearerToken(`bEaReR ${jwt}`)).toBe(jwt);
  });

  it('says token_missing when there is no header at all', () => {
    expect(codeOf(undefined)).toBe('token_missing');
    expect(codeOf('')).toBe('token_missing');
  });

  it.each([
    ['another scheme', `Basic ${jwt}`],
    ['no token', 'Bearer'],
    ['two tokens', `Bearer ${jwt} ${jwt}`],
    ['no scheme', jwt],
    ['two segments', 'Bearer abc.def'],
    ['a non-base64url character', `Bearer ${jwt}=`],
    ['repeated headers', [`Bearer ${jwt}`, `Bearer ${jwt}`]],
  ])('says token_malformed for %s', (_case, header) => {
    expect(codeOf(header)).toBe('token_malformed');
  });
});
