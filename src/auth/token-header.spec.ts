import { checkTokenHeader } from './token-header.js';
import { TokenError } from './token-errors.js';

const token = (header: object) => `${Buffer.from(JSON.stringify(header)).toString('base64url')}.e30.sig`;

function refusal(header: object, production = false): string | undefined {
  try {
    checkTokenHeader(token(header), production);
    return undefined;
  } catch (error) {
    return (error as TokenError).message;
  }
}

describe(checkTokenHeader.name, () => {
  it('returns the kid of an RS256 header', () => {
    expect(checkTokenHeader(token({ alg: 'RS256', kid: 'key-1', typ: 'JWT' }), true)).toBe('key-1');
  });

  it('refuses other algorithms, a missing kid and crit', () => {
    expect(refusal({ alg: 'HS256', kid: 'k' })).toMatch(/RS256/);
    expect(refusal({ alg: 'none', kid: 'k' })).toMatch(/RS256/);
    expect(refusal({ alg: 'RS256' })).toMatch(/kid/);
    expect(refusal({ alg: 'RS256', kid: '' })).toMatch(/kid/);
    expect(refusal({ alg: 'RS256', kid: 'k', crit: ['b64'] })).toMatch(/crit/);
  });

  it("refuses the emulator's key id in production only", () => {
    expect(refusal({ alg: 'RS256', kid: 'CognitoLocal' }, false)).toBeUndefined();
    expect(refusal({ alg: 'RS256', kid: 'CognitoLocal' }, true)).toMatch(/emulator/);
  });
});
