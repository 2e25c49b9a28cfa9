import { hash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import type { VerifiedToken } from './cognito-jwt.strategy.js';
import { PoolKeys } from './pool-keys.js';

const MAX_TOKENS = 10_000;

/** A token's key in the cache (its SHA-256), never the token itself. */
export type TokenKey = string & { readonly __tokenKey: unique symbol };

/**
 * Tokens already verified (claims and pool), expiring with the token, so that a client repeating its
 * token costs no signature check. Emptied when a pool drops a key.
 *
 * Keyed by the token's SHA-256, not the token: a kilobyte less per entry, so that a full cache stays
 * a few megabytes, and no bearer credential sits in the heap longer than its request.
 */
@Injectable()
export class VerifiedTokenCache {
  private readonly cache = new LRUCache<string, VerifiedToken>({ max: MAX_TOKENS, ttlAutopurge: false });

  constructor(keys: PoolKeys) {
    keys.onKeysRemoved(() => this.cache.clear());
  }

  /** The token's key, worked out once per request: a token not found is verified, then stored under the same key. */
  keyOf(token: string): TokenKey {
    return hash('sha256', token, 'base64') as TokenKey;
  }

  get(key: TokenKey): VerifiedToken | undefined {
    return this.cache.get(key);
  }

  set(key: TokenKey, verified: VerifiedToken): void {
    const ttl = verified.claims.exp * 1000 - Date.now();
    if (ttl > 0) this.cache.set(key, verified, { ttl });
  }
}
