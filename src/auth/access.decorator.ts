import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiOAuth2 } from '@nestjs/swagger';
import { ApiAuthenticated, CLIENT_CREDENTIALS_SCHEME } from '../common/api-docs.js';
import { GroupsGuard, REQUIRED_GROUPS, ADMIN_GROUPS, type GroupRequirement } from './groups.guard.js';
import { REQUIRED_SCOPES, ScopesGuard } from './scopes.guard.js';

/** Who may call a route. Without `groups` every person may; without `scopes` no machine client may. */
export interface AccessRule {
  /** People in any of these Cognito groups (exact, case-sensitive names). */
  groups?: GroupRequirement[];
  /** Machine clients (client-credentials tokens) holding every one of these scopes. */
  scopes?: string[];
}

/**
 * States a route's (or a controller's) access rule and documents it in OpenAPI in one place, so
 * the two cannot drift apart. Every route is behind the global JwtAuthGuard unless @Public().
 */
export function Access(rule: AccessRule = {}): MethodDecorator & ClassDecorator {
  const { groups, scopes } = rule;
  return applyDecorators(
    ...(groups ? [SetMetadata(REQUIRED_GROUPS, groups), UseGuards(GroupsGuard)] : []),
    ...(scopes ? [SetMetadata(REQUIRED_SCOPES, scopes), UseGuards(ScopesGuard), ApiOAuth2(scopes, CLIENT_CREDENTIALS_SCHEME)] : []),
    ApiAuthenticated(),
  );
}

/** People in any of the given groups. */
export function Groups(...groups: GroupRequirement[]): MethodDecorator & ClassDecorator {
  return Access({ groups });
}

/** People in COGNITO_ADMIN_GROUPS only. */
export function AdminOnly(): MethodDecorator & ClassDecorator {
  return Access({ groups: [ADMIN_GROUPS] });
}

/** Every person, and machine clients holding every listed scope (use ownScope() for this API's scopes). */
export function Scopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  return Access({ scopes });
}
