import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { loadConfig } from '../config/load-config.js';
import { POOL_API_SCOPE, type CognitoAccessClaims } from '../identity/cognito-claims.js';
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
    sut.consider('default', claims('a'), 'token-a', onDisabled);
    expect(checkToken).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) sut.consider('default', claims('a'), 'token-a2', onDisabled);
    await jest.advanceTimersByTimeAsync(59_000);
    expect(checkToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_001);
    sut.consider('default', claims('a'), 'token-a3', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(2);
    expect(checkToken).toHaveBeenLastCalledWith('default', 'token-a3');
  });

  it('first checks a session a period after its token was issued: at once when that has passed', async () => {
    const sut = recheck('60');
    const nowSeconds = Math.floor(Date.now() / 1000);
    sut.consider('default', { ...claims('fresh'), iat: nowSeconds - 20 }, 'fresh', onDisabled);
    sut.consider('default', { ...claims('old'), iat: nowSeconds - 61 }, 'old', onDisabled);
    // A clock ahead of this one does not put the first check off past one period.
    sut.consider('default', { ...claims('ahead'), iat: nowSeconds + 3600 }, 'ahead', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken.mock.calls).toEqual([['default', 'old']]);

    await jest.advanceTimersByTimeAsync(39_000);
    sut.consider('default', { ...claims('fresh'), iat: nowSeconds + 30 }, 'fresh-refreshed', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1_001);
    sut.consider('default', { ...claims('fresh'), iat: nowSeconds + 30 }, 'fresh-refreshed', onDisabled);
    sut.consider('default', { ...claims('ahead'), iat: nowSeconds + 3600 }, 'ahead', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken.mock.calls.slice(1)).toEqual([['default', 'fresh-refreshed']]);
    await jest.advanceTimersByTimeAsync(20_000);
    sut.consider('default', { ...claims('ahead'), iat: nowSeconds + 3600 }, 'ahead', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenLastCalledWith('default', 'ahead');
  });

  it('refuses a revoked session, hands a disabled user over, and leaves a failure alone until the next period', async () => {
    const sut = recheck('10');
    checkToken.mockResolvedValueOnce('revoked').mockResolvedValueOnce('disabled').mockRejectedValueOnce(new Error('timeout'));
    sut.consider('default', claims('r'), 't1', onDisabled);
    sut.consider('default', claims('d'), 't2', onDisabled);
    sut.consider('default', claims('f'), 't3', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(revoke).toHaveBeenCalledWith('default', 'r', 2_000_000_000);
    expect(revoke).toHaveBeenCalledTimes(1);
    expect(onDisabled).toHaveBeenCalledTimes(1);
    // The time the pool was asked, so that a reactivation made meanwhile wins over the answer.
    expect(onDisabled).toHaveBeenCalledWith(new Date(Date.now()));
    sut.consider('default', claims('f'), 't3', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(3);
    await jest.advanceTimersByTimeAsync(10_001);
    sut.consider('default', claims('f'), 't3', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken).toHaveBeenCalledTimes(4);
  });

  it('asks the pool of the session, and tells sessions of two pools with the same id apart', async () => {
    const sut = recheck('60');
    checkToken.mockResolvedValueOnce('valid').mockResolvedValueOnce('revoked');
    sut.consider('default', claims('same'), 'token-default', onDisabled);
    sut.consider('staff', claims('same'), 'token-staff', onDisabled);
    await jest.advanceTimersByTimeAsync(0);
    expect(checkToken.mock.calls).toEqual([
      ['default', 'token-default'],
      ['staff', 'token-staff'],
    ]);
    expect(revoke).toHaveBeenCalledWith('staff', 'same', 2_000_000_000);
    expect(revoke).toHaveBeenCalledTimes(1);
  });

  it('never asks the pool about a token without the scope, nor when turned off (0)', async () => {
    recheck('60').consider('default', claims('h', 'openid email'), 'hosted', onDisabled);
    recheck('0').consider('default', claims('o'), 'off', onDisabled);
    await jest.advanceTimersByTimeAsync(1000);
    expect(checkToken).not.toHaveBeenCalled();
  });
});
