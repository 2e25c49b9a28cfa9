import { hash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { CognitoAccessClaims } from '../identity/cognito-claims.js';
import { JwksKeyProvider } from './jwks-key.provider.js';

const MAX_TOKENS = 10_000;

/**
 * Claims of tokens already verified, expiring with the token, so that a client repeating its token
 * costs no signature check. Emptied when the pool drops a key.
 *
 * Keyed by the token's SHA-256, not the token: a kilobyte less per entry, so that a full cache stays
 * a few megabytes, and no bearer credential sits in the heap longer than its request.
 */
@Injectable()
export class VerifiedTokenCache {
  private readonly cache = new LRUCache<string, CognitoAccessClaims>({ max: MAX_TOKENS, ttlAutopurge: false });

  constructor(keys: JwksKeyProvider) {
    keys.onKeysRemoved(() => this.cache.clear());
  }

  get(token: string): CognitoAccessClaims | undefined {
    return this.cache.get(digest(token));
  }

  set(token: string, claims: CognitoAccessClaims): void {
    const ttl = claims.exp * 1000 - Date.now();
    if (ttl > 0) this.cache.set(digest(token), claims, { ttl });
  }
}

function digest(token: string): string {
  return hash('sha256', token, 'base64');
}
