import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { forbidden } from '../common/api-error.js';
import { groupsOf } from '../identity/cognito-claims.js';
import type { AuthenticatedRequest } from '../identity/principal.js';
import { REQUIRED_SCOPES } from './scopes.guard.js';

export const REQUIRED_GROUPS = 'requiredGroups';

/** Stands for the admin groups of the caller's pool (COGNITO_ADMIN_GROUPS, COGNITO_<NAME>_ADMIN_GROUPS), known once the token's pool is. */
export const ADMIN_GROUPS = Symbol('admin-groups');

export type GroupRequirement = string | typeof ADMIN_GROUPS;

/**
 * Lets through people in any group named by @Groups(); names are exact and case-sensitive. Admins
 * are the members of an admin group of their own pool: a group of that name in another pool is not one.
 */
@Injectable()
export class GroupsGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<GroupRequirement[] | undefined>(REQUIRED_GROUPS, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    // No principal means the route is also @Public(): a mistake that must not open the route.
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    const allowed = required.flatMap((group) => (group === ADMIN_GROUPS ? (principal?.pool.adminGroups ?? []) : [group]));
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
