import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { ApiError } from '../common/api-error.js';
import type { CognitoSettings } from '../config/app-config.js';
import type { CognitoAccessClaims } from '../identity/cognito-claims.js';
import { AdminOnly, Groups } from './access.decorator.js';
import { GroupsGuard } from './groups.guard.js';
import type { PersonPrincipal, Principal } from '../identity/principal.js';

class Routes {
  @Groups('ops') ops(): void {}
  @Groups('ops', 'billing') opsOrBilling(): void {}
  @AdminOnly() admins(): void {}
  open(): void {}
}

@Groups('ops')
class OpsRoutes {
  list(): void {}
}

const defaultPool = { name: 'default', adminGroups: ['admin', 'staff-admins'] } as CognitoSettings;
const staffPool = { name: 'staff', adminGroups: ['staff-admins'] } as CognitoSettings;

function principal(groups: unknown, pool = defaultPool): Principal {
  const claims = { sub: 'sub-1', 'cognito:groups': groups } as unknown as CognitoAccessClaims;
  return { kind: 'person', claims, pool, user: {} as PersonPrincipal['user'] };
}

describe(GroupsGuard.name, () => {
  const sut = new GroupsGuard(new Reflector());

  const allows = (handler: keyof Routes, who: Principal | undefined, controller: object = Routes): boolean => {
    const method = (controller as { prototype: Record<string, () => void> }).prototype[handler];
    try {
      return sut.canActivate(new ExecutionContextHost([{ principal: who }], controller as never, method));
    } catch (error) {
      if (error instanceof ApiError && error.getStatus() === 403 && error.code === 'forbidden') return false;
      throw error;
    }
  };

  it('lets members of the named group through, and nobody else', () => {
    expect(allows('ops', principal(['ops']))).toBe(true);
    expect(allows('ops', principal(['billing', 'ops']))).toBe(true);
    expect(allows('ops', principal(['billing']))).toBe(false);
    expect(allows('ops', principal([]))).toBe(false);
  });

  it('compares names exactly and case-sensitively', () => {
    expect(allows('ops', principal(['Ops']))).toBe(false);
    expect(allows('ops', principal(['OPS']))).toBe(false);
    expect(allows('ops', principal([' ops']))).toBe(false);
    expect(allows('ops', principal(['ops-team']))).toBe(false);
  });

  it('refuses tokens without a usable cognito:groups claim', () => {
    expect(allows('ops', principal(undefined))).toBe(false);
    expect(allows('ops', principal('ops'))).toBe(false);
    expect(allows('ops', principal([['ops']]))).toBe(false);
  });

  it('accepts membership in any one of several groups', () => {
    expect(allows('opsOrBilling', principal(['billing']))).toBe(true);
    expect(allows('opsOrBilling', principal(['support']))).toBe(false);
  });

  it("reads the admin groups of the caller's pool from the configuration", () => {
    expect(allows('admins', principal(['staff-admins']))).toBe(true);
    expect(allows('admins', principal(['admin']))).toBe(true);
    expect(allows('admins', principal(['Admin']))).toBe(false);
    // `admin` is an admin group of the default pool, not of staff: in staff it is just a group.
    expect(allows('admins', principal(['admin'], staffPool))).toBe(false);
    expect(allows('admins', principal(['staff-admins'], staffPool))).toBe(true);
  });

  it('applies a requirement set on the controller to its routes', () => {
    expect(allows('list' as keyof Routes, principal(['ops']), OpsRoutes)).toBe(true);
    expect(allows('list' as keyof Routes, principal(['billing']), OpsRoutes)).toBe(false);
  });

  it('leaves routes without a requirement alone', () => {
    expect(allows('open', principal([]))).toBe(true);
  });

  it('refuses when no one was authenticated, even if the route was wrongly made public', () => {
    expect(allows('ops', undefined)).toBe(false);
  });

  it('says admins only, without listing group names, to a non-admin', () => {
    const context = new ExecutionContextHost([{ principal: principal(['ops']) }], Routes as never, Routes.prototype.admins);
    expect(() => sut.canActivate(context)).toThrow('Only admins may do this; your account is not in an admin group.');
  });
});
