import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { mint, strategyFor } from '../../test/support/signed-tokens.js';
import { ApiError } from '../common/api-error.js';
import type { CognitoAccessClaims } from '../identity/cognito-claims.js';
import type { AuthenticatedRequest } from '../identity/principal.js';
import { UserAccounts } from '../identity/user-accounts.js';
import type { User } from '../users/user.entity.js';
import { Scopes } from './access.decorator.js';
import type { CognitoJwtStrategy } from './cognito-jwt.strategy.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { Public } from './public.decorator.js';
import { TokenError } from './token-errors.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

class Routes {
  @Public() open(): void {}
  forPeople(): void {}
  @Scopes('backend/users.read') readUsers(): void {}
}

@Public()
class OpenRoutes {
  anything(): void {}
}

/** The users module as the guard sees it: rows by pool and sub (a default-pool row by its sub alone), in memory; a revocation time per row. */
class FakeAccounts extends UserAccounts {
  readonly rows = new Map<string, User>();
  resolved = 0;

  resolve(claims: CognitoAccessClaims, _token: string, pool: string): User {
    this.resolved++;
    const key = pool === 'default' ? claims.sub : `${pool} ${claims.sub}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { id: `id-${key}`, pool, sub: claims.sub, isActive: true, tokensRevokedBefore: null } as User;
      this.rows.set(key, row);
    }
    return row;
  }

  assertTokenCurrent(user: User, claims: CognitoAccessClaims): void {
    if (user.tokensRevokedBefore && (claims.iat ?? 0) * 1000 < user.tokensRevokedBefore.getTime()) {
      throw new TokenError('token_revoked', 'revoked');
    }
  }
}

describe(JwtAuthGuard.name, () => {
  let strategy: CognitoJwtStrategy;
  let accounts: FakeAccounts;
  let sut: JwtAuthGuard;

  const contextOf = (request: object, handler: keyof Routes | 'anything' = 'forPeople', controller: object = Routes) => {
    const method = (controller as { prototype: Record<string, () => void> }).prototype[handler];
    return new ExecutionContextHost([request], controller as never, method);
  };
  const requestWith = (token?: string): AuthenticatedRequest =>
    ({ headers: token === undefined ? {} : { authorization: `Bearer ${token}` } }) as AuthenticatedRequest;

  /** What the guard decides for a request: true, or the refusal's status and code. */
  async function decision(request: object, handler?: keyof Routes | 'anything', controller?: object): Promise<true | string> {
    try {
      return (await sut.canActivate(contextOf(request, handler, controller))) as true;
    } catch (error) {
      if (error instanceof ApiError) return `${error.getStatus()} ${error.code}`;
      throw error;
    }
  }

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    ({ sut: strategy } = await strategyFor());
  });
  beforeEach(() => {
    accounts = new FakeAccounts();
    const keys = { onKeysRemoved: () => undefined } as never;
    sut = new JwtAuthGuard(new Reflector(), strategy, new VerifiedTokenCache(keys), accounts);
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  it('lets anyone through a @Public() route or controller, without reading a token', async () => {
    await expect(decision(requestWith(), 'open')).resolves.toBe(true);
    await expect(decision(requestWith('not-a-token'), 'anything', OpenRoutes)).resolves.toBe(true);
    expect(accounts.resolved).toBe(0);
  });

  it('refuses every other route without a valid token (401, the strategy says why)', async () => {
    await expect(decision(requestWith())).resolves.toBe('401 token_missing');
    await expect(decision(requestWith(mint({ exp: Math.floor(Date.now() / 1000) - 600 })))).resolves.toBe('401 token_expired');
    await expect(decision(requestWith(mint()), 'readUsers')).resolves.toBe(true);
  });

  it("leaves the person's principal on the request: the claims and their row, created on the first request", async () => {
    const request = requestWith(mint({ sub: 'person-1' }));
    await expect(decision(request)).resolves.toBe(true);
    expect(request.principal).toMatchObject({
      kind: 'person',
      claims: { sub: 'person-1' },
      pool: { name: 'default' },
      user: { sub: 'person-1' },
    });
    expect(accounts.rows.size).toBe(1);
  });

  it('verifies a token once: a repeated token is served from the cache of verified tokens', async () => {
    const token = mint({ sub: 'person-2' });
    const verify = jest.spyOn(strategy, 'verifyRequest');
    try {
      for (let i = 0; i < 3; i++) await expect(decision(requestWith(token))).resolves.toBe(true);
      expect(verify).toHaveBeenCalledTimes(1);
      await expect(decision(requestWith(mint({ sub: 'person-2', jti: 'another' })))).resolves.toBe(true);
      expect(verify).toHaveBeenCalledTimes(2);
    } finally {
      verify.mockRestore();
    }
  });

  it('refuses a deactivated person (403 account_disabled) and a revoked token (401 token_revoked)', async () => {
    const token = mint({ sub: 'person-3', iat: Math.floor(Date.now() / 1000) - 60 });
    await expect(decision(requestWith(token))).resolves.toBe(true);
    accounts.rows.get('person-3')!.isActive = false;
    await expect(decision(requestWith(token))).resolves.toBe('403 account_disabled');
    accounts.rows.get('person-3')!.isActive = true;
    accounts.rows.get('person-3')!.tokensRevokedBefore = new Date();
    await expect(decision(requestWith(token))).resolves.toBe('401 token_revoked');
  });

  it('gives a machine client no row, and lets it through routes that name scopes only (403 user_token_required)', async () => {
    const machine = mint({
      sub: 'client-b',
      client_id: 'client-b',
      username: undefined,
      'cognito:groups': undefined,
      scope: 'backend/users.read',
    });
    const request = requestWith(machine);
    await expect(decision(request, 'readUsers')).resolves.toBe(true);
    expect(request.principal).toMatchObject({ kind: 'machine', claims: { client_id: 'client-b' } });
    await expect(decision(requestWith(machine))).resolves.toBe('403 user_token_required');
    expect(accounts.resolved).toBe(0);
  });
});
