import { createParamDecorator, ExecutionContext, Injectable, type PipeTransform } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppConfig } from '../config/app-config.js';
import type { AuthenticatedRequest, Principal } from '../identity/principal.js';
import { acceptedPools } from './pools.guard.js';

interface Caller {
  route: readonly string[] | undefined;
  principal: Principal | undefined;
}

const reflector = new Reflector();
const caller = createParamDecorator((_data: unknown, context: ExecutionContext): Caller => ({
  route: acceptedPools(reflector, context),
  principal: context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
}));

/** Resolves the caller into the pools whose people they may see; it needs the configuration, which a decorator cannot hold. */
@Injectable()
export class PeoplePoolsPipe implements PipeTransform<Caller, string[]> {
  private readonly all: string[];

  constructor(private readonly config: AppConfig) {
    this.all = config.pools.map((pool) => pool.name);
  }

  transform({ route, principal }: Caller): string[] {
    const pools = route ? this.all.filter((name) => route.includes(name)) : this.all;
    // One line of configuration keeps admins to their own pool's people (docs/admin.md).
    if (this.config.adminOwnPoolOnly && principal?.kind === 'person') return pools.filter((name) => name === principal.pool.name);
    return pools;
  }
}

/**
 * The pools whose people the caller may see and manage on this route: those the route accepts
 * (@Pools, else every configured pool); for a person with ADMIN_OWN_POOL_ONLY, only their own.
 */
export const PeoplePools = (): ParameterDecorator => caller(PeoplePoolsPipe);
