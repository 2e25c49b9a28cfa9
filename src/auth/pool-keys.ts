import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { fetchJwks, type JwksFetcher } from './jwks-fetcher.js';
import { JwksKeyProvider } from './jwks-key.provider.js';

/** Replaces the HTTP fetch of the JWKS (unit specs); absent in the application. */
export const JWKS_FETCHER = Symbol('JWKS_FETCHER');

/**
 * The signing keys of every configured pool, each pool's with a lifecycle of its own: fetched at
 * start, refreshed, refetched for unknown kids, ready or not. One pool's JWKS being down leaves the
 * others' keys working.
 */
@Injectable()
export class PoolKeys implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly providers: ReadonlyMap<string, JwksKeyProvider>;

  constructor(config: AppConfig, @Optional() @Inject(JWKS_FETCHER) fetcher: JwksFetcher = fetchJwks) {
    this.providers = new Map(config.pools.map((pool) => [pool.name, new JwksKeyProvider(pool, config.tokens, fetcher)]));
  }

  /** The keys of a configured pool (by name). */
  of(pool: string): JwksKeyProvider {
    const provider = this.providers.get(pool);
    if (!provider) throw new Error(`No signing keys for the pool "${pool}": it is not configured`);
    return provider;
  }

  /** Every pool's keys, by pool name, in the configuration's order. */
  entries(): IterableIterator<[string, JwksKeyProvider]> {
    return this.providers.entries();
  }

  /** Called when a refresh of any pool drops or replaces a key, so that caches of verified tokens can be emptied. */
  onKeysRemoved(listener: () => void): void {
    for (const provider of this.providers.values()) provider.onKeysRemoved(listener);
  }

  onApplicationBootstrap(): void {
    for (const provider of this.providers.values()) provider.onApplicationBootstrap();
  }

  onModuleDestroy(): void {
    for (const provider of this.providers.values()) provider.onModuleDestroy();
  }
}
