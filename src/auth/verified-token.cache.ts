import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CognitoAccessClaims } from '../identity/cognito-claims.js';
import { JwksKeyProvider } from './jwks-key.provider.js';

const MAX_TOKENS = 10_000;

/**
 * Claims of tokens already verified, keyed by the exact token string and expiring with the token,
 * so that a client repeating its token costs no signature check. Emptied when the pool drops a key.
 */
@Injectable()
export class VerifiedTokenCache {
  private readonly cache = new LRUCache<string, CognitoAccessClaims>({ max: MAX_TOKENS, ttlAutopurge: false });

  constructor(keys: JwksKeyProvider) {
    keys.onKeysRemoved(() => this.cache.clear());
  }

  get(token: string): CognitoAccessClaims | undefined {
    return this.cache.get(token);
  }

  set(token: string, claims: CognitoAccessClaims): void {
    const ttl = claims.exp * 1000 - Date.now();
    if (ttl > 0) this.cache.set(token, claims, { ttl });
  }
}
