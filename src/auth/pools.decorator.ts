import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import { ACCEPTED_POOLS, PoolsGuard } from './pools.guard.js';

/** The OpenAPI extension listing the pools whose tokens a route accepts (every route but the public ones has it). */
export const POOLS_EXTENSION = 'x-pools';

/**
 * Restricts a route (or a controller) to tokens of the named pools (`default`, or a name of
 * COGNITO_POOLS); a token of any other pool gets 403 wrong_pool. Without it a route accepts every
 * configured pool. Documented in OpenAPI as `x-pools`.
 */
export function Pools(...names: string[]): MethodDecorator & ClassDecorator {
  return applyDecorators(SetMetadata(ACCEPTED_POOLS, names), UseGuards(PoolsGuard), ApiExtension(POOLS_EXTENSION, names));
}
