import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ADMIN_GROUPS, GroupsGuard, REQUIRED_GROUPS, type GroupRequirement } from './groups.guard.js';

/**
 * Restricts a route (or a controller) to members of any of the given Cognito groups, read from the
 * verified token's `cognito:groups`. Runs after the global JwtAuthGuard, which global guards always do.
 */
export function Groups(...groups: GroupRequirement[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(REQUIRED_GROUPS, groups), UseGuards(GroupsGuard));
}

/** Members of COGNITO_ADMIN_GROUPS only. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return Groups(ADMIN_GROUPS);
}
