import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { PoolKeys } from '../auth/pool-keys.js';

/**
 * Up once every pool's JWKS has been fetched; stays up on later fetch failures, as cached keys keep
 * verifying. Down names the pools whose keys are missing (the others' tokens work meanwhile).
 */
@Injectable()
export class SigningKeysHealthIndicator {
  constructor(
    private readonly keys: PoolKeys,
    private readonly health: HealthIndicatorService,
  ) {}

  isLoaded<const Key extends string>(key: Key) {
    const indicator = this.health.check(key);
    // Keys loaded by pool (0 before its first fetch), and their total.
    const pools: Record<string, number> = {};
    const missing: string[] = [];
    for (const [pool, provider] of this.keys.entries()) {
      pools[pool] = provider.ready ? provider.keyIds.length : 0;
      if (!provider.ready) missing.push(pool);
    }
    const keys = Object.values(pools).reduce((sum, count) => sum + count, 0);
    if (missing.length === 0) return indicator.up({ keys, pools });
    return indicator.down({
      message: `The signing keys (JWKS) of the pool(s) ${missing.join(', ')} have not been loaded yet`,
      keys,
      pools,
    });
  }
}
