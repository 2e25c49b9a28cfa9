import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { AuthenticatedRequest } from '../identity/principal.js';
import { wrongPool } from './access-errors.js';

export const ACCEPTED_POOLS = 'acceptedPools';

/** The pools a route (or its controller) accepts, by @Pools(); undefined: every configured pool. */
export function acceptedPools(reflector: Reflector, context: ExecutionContext): readonly string[] | undefined {
  return reflector.getAllAndOverride<string[] | undefined>(ACCEPTED_POOLS, [context.getHandler(), context.getClass()]);
}

/** Lets through tokens (people's and machines') of the pools named by @Pools(); any other is a 403 wrong_pool. */
@Injectable()
export class PoolsGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const accepted = acceptedPools(this.reflector, context);
    if (!accepted) return true;
    // No principal means the route is also @Public(): a mistake that must not open the route.
    const principal = context.switchToHttp().getRequest<AuthenticatedRequest>().principal;
    if (!principal || !accepted.includes(principal.pool.name)) throw wrongPool(principal?.pool.name ?? 'none', accepted);
    return true;
  }
}
