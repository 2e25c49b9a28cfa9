import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_EXPIRED, CODE_MISMATCH, TOO_MANY_ATTEMPTS, VerificationCodes } from './verification-codes.js';

describe(VerificationCodes.name, () => {
  let dir: string;
  let now: number;
  let sut: VerificationCodes;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'codes-'));
    now = Date.parse('2026-12-06T12:00:00Z');
    sut = new VerificationCodes(join(dir, 'codes.json'), () => now);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const issue = (purpose: 'sign-up' | 'forgot-password' = 'sign-up'): string => {
    const issued = sut.issue('pool', 'bob', purpose);
    if (!('code' in issued)) throw new Error('refused');
    return issued.code;
  };

  it('accepts the right code once', () => {
    const code = issue();
    expect(sut.check('pool', 'bob', 'sign-up', code)).toBeUndefined();
    expect(sut.check('pool', 'bob', 'sign-up', code)).toBe(CODE_MISMATCH);
  });

  it('expires a password-reset code after an hour and a sign-up code after a day', () => {
    const reset = issue('forgot-password');
    const signUp = issue('sign-up');
    now += 3600_000;
    expect(sut.check('pool', 'bob', 'forgot-password', reset)).toBe(CODE_EXPIRED);
    now += 23 * 3600_000 - 1;
    expect(sut.check('pool', 'bob', 'sign-up', signUp)).toBeUndefined();
  });

  it('refuses a sixth code within an hour, and the right code after five wrong tries', () => {
    for (let n = 0; n < 5; n++) issue();
    expect(sut.issue('pool', 'bob', 'sign-up')).toBe(TOO_MANY_ATTEMPTS);
    now += 3600_001;
    const code = issue();
    for (let n = 0; n < 5; n++) expect(sut.check('pool', 'bob', 'sign-up', `x${code}`)).toBe(CODE_MISMATCH);
    expect(sut.check('pool', 'bob', 'sign-up', code)).toBe(TOO_MANY_ATTEMPTS);
  });

  it('keeps codes across a restart', () => {
    const code = issue();
    expect(new VerificationCodes(join(dir, 'codes.json'), () => now).check('pool', 'bob', 'sign-up', code)).toBeUndefined();
  });
});
