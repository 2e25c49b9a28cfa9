import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { ApiError } from '../common/api-error.js';
import type { CognitoSettings } from '../config/app-config.js';
import type { Principal } from '../identity/principal.js';
import { Pools } from './pools.decorator.js';
import { PoolsGuard } from './pools.guard.js';

class Routes {
  @Pools('staff') staff(): void {}
  @Pools('staff', 'partners') staffOrPartners(): void {}
  open(): void {}
}

@Pools('default')
class DefaultRoutes {
  @Pools('staff') staff(): void {}
  list(): void {}
}

const from = (name: string, kind: 'person' | 'machine' = 'person') => ({ kind, pool: { name } as CognitoSettings }) as Principal;

describe(PoolsGuard.name, () => {
  const sut = new PoolsGuard(new Reflector());

  const outcome = (controller: object, handler: string, principal: Principal | undefined): string => {
    const method = (controller as { prototype: Record<string, () => void> }).prototype[handler];
    try {
      sut.canActivate(new ExecutionContextHost([{ principal }], controller as never, method));
      return 'allowed';
    } catch (error) {
      return `${(error as ApiError).getStatus()} ${(error as ApiError).code}`;
    }
  };

  it('lets through the tokens of the pools a route names, people and machines alike, and refuses the others (403 wrong_pool)', () => {
    expect(outcome(Routes, 'staff', from('staff'))).toBe('allowed');
    expect(outcome(Routes, 'staff', from('staff', 'machine'))).toBe('allowed');
    expect(outcome(Routes, 'staff', from('default'))).toBe('403 wrong_pool');
    expect(outcome(Routes, 'staffOrPartners', from('partners'))).toBe('allowed');
    expect(outcome(Routes, 'open', from('anything'))).toBe('allowed');
  });

  it("takes a controller's pools for its routes, and a route's own over them", () => {
    expect(outcome(DefaultRoutes, 'list', from('default'))).toBe('allowed');
    expect(outcome(DefaultRoutes, 'list', from('staff'))).toBe('403 wrong_pool');
    expect(outcome(DefaultRoutes, 'staff', from('staff'))).toBe('allowed');
    expect(outcome(DefaultRoutes, 'staff', from('default'))).toBe('403 wrong_pool');
  });

  it('refuses when no one was authenticated, even if the route was wrongly made public', () => {
    expect(outcome(Routes, 'staff', undefined)).toBe('403 wrong_pool');
  });
});
