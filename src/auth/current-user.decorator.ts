import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest, PersonPrincipal } from '../identity/principal.js';

/**
 * The person calling, as set by the global JwtAuthGuard. Only for routes for people, where the
 * guard has already refused machine clients.
 */
export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): PersonPrincipal => {
  const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
  if (principal?.kind !== 'person')
    throw new Error('@CurrentUser() used on a route that the JwtAuthGuard did not authenticate as a person');
  return principal;
});
