import { checkClaimShapes } from './claim-shapes.js';
import { TokenError } from './token-errors.js';

const person = { sub: 'f0e1d2c3-0000-4000-8000-000000000001', client_id: 'client-a', username: 'alice', scope: 'openid' };

function refusal(overrides: Record<string, unknown>): string | undefined {
  try {
    checkClaimShapes({ ...person, ...overrides });
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(TokenError);
    expect((error as TokenError).code).toBe('token_invalid');
    return (error as TokenError).message;
  }
}

describe(checkClaimShapes.name, () => {
  it('accepts a person, a machine client and claims at their limits', () => {
    expect(refusal({})).toBeUndefined();
    expect(refusal({ username: undefined, sub: 'client-a', scope: 'backend/users.read' })).toBeUndefined();
    expect(refusal({ sub: 's'.repeat(128), username: 'u'.repeat(128), client_id: 'c'.repeat(128) })).toBeUndefined();
    expect(refusal({ scope: 's'.repeat(2048), 'cognito:groups': Array.from({ length: 100 }, () => 'g'.repeat(128)) })).toBeUndefined();
  });

  it('refuses times that are not numbers, as the pool never sends them', () => {
    for (const claim of ['exp', 'iat', 'nbf', 'auth_time']) {
      for (const value of ['abc', '9999999999', null, true, [1], { n: 1 }]) {
        expect(refusal({ [claim]: value })).toBe(`The token's "${claim}" claim is not a number.`);
      }
      expect(refusal({ [claim]: 1_700_000_000 })).toBeUndefined();
    }
  });

  it('names the claim and the reason', () => {
    expect(refusal({ sub: 1 })).toBe('The token\'s "sub" claim is not a string.');
    expect(refusal({ username: 'u'.repeat(129) })).toBe('The token\'s "username" claim is longer than 128 characters.');
    expect(refusal({ scope: 'a\u0000' })).toBe('The token\'s "scope" claim holds control characters.');
    expect(refusal({ 'cognito:groups': 'admin' })).toBe('The token\'s "cognito:groups" claim is not a list.');
    expect(refusal({ 'cognito:groups': Array.from({ length: 101 }, () => 'g') })).toMatch(/more than 100 groups/);
  });

  it('refuses every control character, C0, DEL and C1, but not other Unicode', () => {
    for (const char of ['\u0000', '\u0009', '\u001f', '\u007f', '\u0080', '\u009f'])
      expect(refusal({ username: `a${char}` })).toMatch(/control/);
    expect(refusal({ username: 'Zoë 😀 李' })).toBeUndefined();
  });

  it('refuses a lone surrogate (stored as U+FFFD, it would make two subs one row) but not a pair', () => {
    expect(refusal({ sub: '\udc00Grace' })).toBe('The token\'s "sub" claim is not well-formed Unicode (a lone surrogate).');
    expect(refusal({ username: 'Grace\ud83d' })).toMatch(/lone surrogate/);
    expect(refusal({ 'cognito:groups': ['\ud800'] })).toMatch(/lone surrogate/);
    expect(refusal({ sub: '\ud83d\ude00' })).toBeUndefined();
  });
});
