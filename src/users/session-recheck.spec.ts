import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/load-config.js';
import type { CognitoSettings } from '../config/app-config.js';
import { POOL_API_SCOPE, type CognitoAccessClaims } from '../identity/cognito-claims.js';
import { verifiedToken, type VerifiedToken } from '../identity/verified-token.js';
import type { CognitoProfileClient } from './cognito-profile.client.js';
import type { RevokedSessions } from './revoked-sessions.js';
import { SessionRecheck } from './session-recheck.js';

const env = {
  DATABASE_URL: 'postgres://app:secret@db.internal:5432/app',
  COGNITO_REGION: 'us-west-2',
  COGNITO_USER_POOL_ID: 'us-west-2_AbCdEf123',
  COGNITO_CLIENT_IDS: 'client-a',
};

function claims(session: string, scope = POOL_API_SCOPE): CognitoAccessClaims {
  return { sub: 's', iss: 'i', client_id: 'c', token_use: 'access', exp: 2_000_000_000, origin_jti: session, scope };
}

const verified = (pool: string, tokenClaims: CognitoAccessClaims): VerifiedToken =>
  verifiedToken(tokenClaims, { name: pool } as CognitoSettings);

describe(SessionRecheck.name, () => {
  let checkToken: jest.Mock<(pool: string, token: string) => Promise<'valid' | 'revoked' | 'disabled'>>;
  let revoke: jest.Mock<(pool: string, session: string, exp: number) => Promise<Date>>;
  let onDisabled: jest.Mock<(askedAt: Date) => Promise<void>>;

  function recheck(seconds: string): SessionRecheck {
    const config = loadConfig({ ...env, TOKEN_RECHECK_SECONDS: seconds });
    return new SessionRecheck(config, { checkToken } as unknown as CognitoProfileClient, { revoke } as unknown as RevokedSessions);
  }

  beforeEach(() => {
    jest.useFakeTimers();
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    checkToken = jest.fn(() => Promise.resolve('valid' as const));
    revoke = jest.fn(() => Promise.resolve(new Date()));
    onDisabled = jest.fn(() => Promise.resolve());
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('checks a session at most once per period, off the calling stack', async () => {
    const sut = recheck('60');
    sut.consider(verified('default', claims('a')), 'token-a', onDisabled);
    expect(checkToken).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) sut.consider(verified('default', claims('a')), 'token-a2', onDisabled);
    await jest.advanceTimersByTimeAsync(59_000);
    expect(checkToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_001);
    sut.consider(verified('default', claims('a')), 'token-a3', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(2);
    expect(checkToken).toHaveBeenLastCalledWith('default', 'token-a3');
  });

  it('checks a repeated token again each time its session is due, and a session first seen with another token at its own due time', async () => {
    const sut = recheck('10');
    const repeated = verified('default', claims('r'));
    for (let second = 0; second <= 25; second++) {
      sut.consider(repeated, 'token-r', onDisabled);
      await jest.advanceTimersByTimeAsync(1000);
    }
    // At 0 s, 10 s and 20 s.
    expect(checkToken).toHaveBeenCalledTimes(3);
    // Another token of the same session, refreshed meanwhile, waits for the session's next due time.
    sut.consider(verified('default', claims('r')), 'token-r-refreshed', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(3);
  });

  it('first checks a session a period after its token was issued: at once when that has passed', async () => {
    const sut = recheck('60');
    const nowSeconds = Math.floor(Date.now() / 1000);
    sut.consider(verified('default', { ...claims('fresh'), iat: nowSeconds - 20 }), 'fresh', onDisabled);
    sut.consider(verified('default', { ...claims('old'), iat: nowSeconds - 61 }), 'old', onDisabled);
    // A clock ahead of this one does not put the first check off past one period.
    sut.consider(verified('default', { ...claims('ahead'), iat: nowSeconds + 3600 }), 'ahead', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken.mock.calls).toEqual([['default', 'old']]);

    await jest.advanceTimersByTimeAsync(39_000);
    sut.consider(verified('default', { ...claims('fresh'), iat: nowSeconds + 30 }), 'fresh-refreshed', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_001);
    sut.consider(verified('default', { ...claims('fresh'), iat: nowSeconds + 30 }), 'fresh-refreshed', onDisabled);
    sut.consider(verified('default', { ...claims('ahead'), iat: nowSeconds + 3600 }), 'ahead', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken.mock.calls.slice(1)).toEqual([['default', 'fresh-refreshed']]);
    await jest.advanceTimersByTimeAsync(20_000);
    sut.consider(verified('default', { ...claims('ahead'), iat: nowSeconds + 3600 }), 'ahead', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenLastCalledWith('default', 'ahead');
  });

  it('refuses a revoked session, hands a disabled user over, and leaves a failure alone until the next period', async () => {
    const sut = recheck('10');
    checkToken.mockResolvedValueOnce('revoked').mockResolvedValueOnce('disabled').mockRejectedValueOnce(new Error('timeout'));
    sut.consider(verified('default', claims('r')), 't1', onDisabled);
    sut.consider(verified('default', claims('d')), 't2', onDisabled);
    sut.consider(verified('default', claims('f')), 't3', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(revoke).toHaveBeenCalledWith('default', 'r', 2_000_000_000);
    expect(revoke).toHaveBeenCalledTimes(1);
    expect(onDisabled).toHaveBeenCalledTimes(1);
    // The time the pool was asked, so that a reactivation made meanwhile wins over the answer.
    expect(onDisabled).toHaveBeenCalledWith(new Date(Date.now()));
    sut.consider(verified('default', claims('f')), 't3', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(10_001);
    sut.consider(verified('default', claims('f')), 't3', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(4);
  });

  it('asks the pool of the session, and tells sessions of two pools with the same id apart', async () => {
    const sut = recheck('60');
    checkToken.mockResolvedValueOnce('valid').mockResolvedValueOnce('revoked');
    sut.consider(verified('default', claims('same')), 'token-default', onDisabled);
    sut.consider(verified('staff', claims('same')), 'token-staff', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken.mock.calls).toEqual([
      ['default', 'token-default'],
      ['staff', 'token-staff'],
    ]);
    expect(revoke).toHaveBeenCalledWith('staff', 'same', 2_000_000_000);
    expect(revoke).toHaveBeenCalledTimes(1);
  });

  it('never asks the pool about a token without the scope, nor when turned off (0)', async () => {
    recheck('60').consider(verified('default', claims('h', 'openid email')), 'hosted', onDisabled);
    recheck('0').consider(verified('default', claims('o')), 'off', onDisabled);
    await jest.advanceTimersByTimeAsync(1000);
    expect(checkToken).not.toHaveBeenCalled();
  });
});
