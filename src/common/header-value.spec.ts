import { quotedString, safeHeaderValue } from './header-value.js';

describe(safeHeaderValue.name, () => {
  it('keeps visible ASCII and tabs', () => {
    expect(safeHeaderValue('Bearer realm="api",\terror="x"')).toBe('Bearer realm="api",\terror="x"');
  });

  it.each([
    ['non-ASCII text', 'alg "ẞ€😀"', 'alg "????"'],
    ['Latin-1 letters', 'café', 'caf?'],
    ['CR and LF', 'a\r\nSet-Cookie: x=1', 'a??Set-Cookie: x=1'],
    ['NUL and other controls', 'a\u0000b\u007f', 'a?b?'],
    ['an unpaired surrogate', 'a\ud800', 'a?'],
  ])('replaces %s', (_case, input, expected) => {
    expect(safeHeaderValue(input)).toBe(expected);
  });
});

describe(quotedString.name, () => {
  it('quotes without quotes or backslashes inside', () => {
    expect(quotedString('say "hi" \\ there\n')).toBe('"say hi  there?"');
  });
});
