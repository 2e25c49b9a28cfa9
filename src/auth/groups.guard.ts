import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden } from '../common/api-error.js';
import { AppConfig } from '../config/app-config.js';
import { groupsOf } from '../identity/cognito-claims.js';
import type { AuthenticatedRequest } from '../identity/principal.js';
import { REQUIRED_SCOPES } from './scopes.guard.js';

export const REQUIRED_GROUPS = 'requiredGroups';

/** Stands for the groups in COGNITO_ADMIN_GROUPS, which are only known once the configuration is loaded. */
export const ADMIN_GROUPS = Symbol('admin-groups');

export type GroupRequirement = string | typeof ADMIN_GROUPS;

/** Lets through people in any group named by @Groups(); names are exact and case-sensitive. */
@Injectable()
export class GroupsGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<GroupRequirement[] | undefined>(REQUIRED_GROUPS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const allowed = required.flatMap((group) => (group === ADMIN_GROUPS ? this.config.cognito.adminGroups : [group]));
    // No principal means the route is also @Public(): a mistake that must not open the route.
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    // Machine clients have no groups: where the route names scopes, the ScopesGuard decides for them.
    if (principal?.kind === 'machine' && this.reflector.getAllAndOverride(REQUIRED_SCOPES, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const member = principal?.kind === 'person' && groupsOf(principal.claims).some((group) => allowed.includes(group));
    if (!member) {
      throw forbidden(
        required.includes(ADMIN_GROUPS)
          ? 'Only admins may do this; your account is not in an admin group.'
          : `Only members of ${allowed.join(', ')} may do this.`,
      );
    }
    return true;
  }
}
