import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';
import { scopesOf } from '../identity/cognito-claims.js';
import type { AuthenticatedRequest } from '../identity/principal.js';
import { insufficientScope } from './access-errors.js';

export const REQUIRED_SCOPES = 'requiredScopes';

/** Stands for COGNITO_RESOURCE_SERVER in scope names, which is only known once the configuration is loaded. */
export const RESOURCE_SERVER = '{resource-server}';

/** A custom scope of this API's resource server: `ownScope('users.read')` is `<COGNITO_RESOURCE_SERVER>/users.read`. */
export function ownScope(name: string): string {
  return `${RESOURCE_SERVER}/${name}`;
}

export function resolveScope(scope: string, config: AppConfig): string {
  return scope.replace(RESOURCE_SERVER, config.cognito.resourceServer);
}

/**
 * Lets a machine client through when its token holds every scope named by @Scopes(). People are
 * governed by groups (@Groups, @AdminOnly), not by scopes.
 */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]);
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!required || principal?.kind === 'person') return true;
    const scopes = required.map((scope) => resolveScope(scope, this.config));
    const held = new Set(principal ? scopesOf(principal.claims) : []);
    if (!scopes.every((scope) => held.has(scope))) throw insufficientScope(scopes);
    return true;
  }
}
