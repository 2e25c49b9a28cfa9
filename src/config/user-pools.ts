import type { AppConfig, CognitoSettings } from './app-config.js';

/**
 * The configured user pools, found by name or by a token's exact `iss` (each issuer belongs to one
 * pool: load-pools.ts refuses a configuration where two share one).
 */
export class UserPools {
  readonly all: readonly CognitoSettings[];
  readonly names: readonly string[];
  private readonly byIssuer: ReadonlyMap<string, CognitoSettings>;
  private readonly byName: ReadonlyMap<string, CognitoSettings>;

  constructor(config: Pick<AppConfig, 'pools'>) {
    this.all = config.pools;
    this.names = config.pools.map((pool) => pool.name);
    this.byIssuer = new Map(config.pools.flatMap((pool) => pool.issuers.map((issuer) => [issuer, pool] as const)));
    this.byName = new Map(config.pools.map((pool) => [pool.name, pool]));
  }

  /** The pool whose issuer this is, exactly; undefined for any other value. */
  ofIssuer(iss: unknown): CognitoSettings | undefined {
    return typeof iss === 'string' ? this.byIssuer.get(iss) : undefined;
  }

  named(name: string): CognitoSettings | undefined {
    return this.byName.get(name);
  }
}
