import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { ApiError } from '../common/api-error.js';
import type { CognitoSettings } from '../config/app-config.js';
import type { CognitoAccessClaims } from '../identity/cognito-claims.js';
import type { Principal } from '../identity/principal.js';
import { Scopes } from './access.decorator.js';
import { ownScope, ScopesGuard } from './scopes.guard.js';

class Routes {
  @Scopes(ownScope('users.read'), 'other/x') read(): void {}
  open(): void {}
}

const defaultPool = { name: 'default', resourceServer: 'backend' } as CognitoSettings;
const machine = (scope?: string, pool = defaultPool): Principal => ({
  kind: 'machine',
  claims: { sub: 'c', client_id: 'c', scope } as CognitoAccessClaims,
  pool,
});

describe(ScopesGuard.name, () => {
  const sut = new ScopesGuard(new Reflector());

  const outcome = (handler: keyof Routes, principal: Principal): string => {
    try {
      sut.canActivate(new ExecutionContextHost([{ principal }], Routes as never, Routes.prototype[handler]));
      return 'allowed';
    } catch (error) {
      const apiError = error as ApiError;
      return `${apiError.code} ${apiError.headers['www-authenticate']}`;
    }
  };

  it('requires every listed scope, with the resource server filled in', () => {
    expect(outcome('read', machine('other/x backend/users.read'))).toBe('allowed');
    expect(outcome('read', machine('backend/users.read'))).toBe(
      'insufficient_scope Bearer realm="api", error="insufficient_scope", scope="backend/users.read other/x"',
    );
    expect(outcome('read', machine(undefined))).toMatch(/^insufficient_scope/);
    expect(outcome('read', machine('{resource-server}/users.read other/x'))).toMatch(/^insufficient_scope/);
  });

  it("names the scopes with the resource server of the client's own pool", () => {
    const staff = { name: 'staff', resourceServer: 'staff-api' } as CognitoSettings;
    expect(outcome('read', machine('other/x staff-api/users.read', staff))).toBe('allowed');
    expect(outcome('read', machine('other/x backend/users.read', staff))).toBe(
      'insufficient_scope Bearer realm="api", error="insufficient_scope", scope="staff-api/users.read other/x"',
    );
  });

  it('leaves people to the groups rules, and routes without scopes alone', () => {
    const person = { kind: 'person', claims: { sub: 'p' } as CognitoAccessClaims, pool: defaultPool, user: {} } as Principal;
    expect(outcome('read', person)).toBe('allowed');
    expect(outcome('open', machine('x'))).toBe('allowed');
  });
});
