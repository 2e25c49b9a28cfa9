import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { scopesOf } from '../identity/cognito-claims.js';
import type { AuthenticatedRequest } from '../identity/principal.js';
import { insufficientScope } from './access-errors.js';

export const REQUIRED_SCOPES = 'requiredScopes';

/** Stands for the resource server of the caller's pool (COGNITO_RESOURCE_SERVER, COGNITO_<NAME>_RESOURCE_SERVER) in scope names. */
export const RESOURCE_SERVER = '{resource-server}';

/** A custom scope of this API's resource server: `ownScope('users.read')` is `<COGNITO_RESOURCE_SERVER>/users.read`. */
export function ownScope(name: string): string {
  return `${RESOURCE_SERVER}/${name}`;
}

export function resolveScope(scope: string, resourceServer: string): string {
  return scope.replace(RESOURCE_SERVER, resourceServer);
}

/**
 * Lets a machine client through when its token holds every scope named by @Scopes(), named with the
 * resource server of the client's pool. People are governed by groups (@Groups, @AdminOnly), not by scopes.
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]);
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!required || principal?.kind === 'person') return true;
    const scopes = principal ? required.map((scope) => resolveScope(scope, principal.pool.resourceServer)) : required;
    const held = new Set(principal ? scopesOf(principal.claims) : []);
    if (!scopes.every((scope) => held.has(scope))) throw insufficientScope(scopes);
    return true;
  }
}
