import { Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createPublicKey, KeyObject } from 'node:crypto';
import { JwksClient } from 'jwks-rsa';
import type { CognitoSettings, TokenSettings } from '../config/app-config.js';
import { countJwksFetch } from '../metrics/metrics.js';
import { fetchJwks, type JwksFetcher } from './jwks-fetcher.js';
import { KeysUnavailableError, TokenError } from './token-errors.js';

/** Start-up retries while no JWKS fetch has succeeded: 0.5 s, 1 s, 2 s... up to the unknown-kid cooldown. */
const FIRST_RETRY_MS = 500;

interface CachedKey {
  pem: string;
  key: KeyObject;
}

/**
 * One pool's signing keys, fetched with jwks-rsa and held as parsed KeyObjects so that no
 * request parses a PEM. Unknown kids cause at most one fetch per cooldown, shared by all
 * concurrent misses; a periodic refresh drops keys the pool has removed. PoolKeys holds one per
 * pool and runs their lifecycle.
 */
export class JwksKeyProvider implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger: Logger;
  private readonly client: JwksClient;
  private keys = new Map<string, CachedKey>();
  private loadedAt: number | null = null;
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | null = null;
  private retryDelayMs = FIRST_RETRY_MS;
  private retryTimer?: NodeJS.Timeout;
  private refreshTimer?: NodeJS.Timeout;
  private destroyed = false;
  private readonly removalListeners: Array<() => void> = [];

  constructor(
    private readonly pool: CognitoSettings,
    private readonly tokens: TokenSettings,
    fetcher: JwksFetcher = fetchJwks,
  ) {
    this.logger = new Logger(`${JwksKeyProvider.name}(${pool.name})`);
    const { jwksTimeoutMs } = tokens;
    this.client = new JwksClient({
      jwksUri: pool.jwksUri,
      cache: false,
      rateLimit: false,
      timeout: jwksTimeoutMs,
      fetcher: (uri) => countJwksFetch(pool.name, fetcher(uri, jwksTimeoutMs)),
    });
  }

  /** True once a fetch has ever succeeded. */
  get ready(): boolean {
    return this.loadedAt !== null;
  }

  get keyIds(): string[] {
    return [...this.keys.keys()];
  }

  /** Called when a refresh drops or replaces a key, so that caches of verified tokens can be emptied. */
  onKeysRemoved(listener: () => void): void {
    this.removalListeners.push(listener);
  }

  /**
   * Does not wait for the keys: the server listens (and reports not-ready) even while the pool is
   * unreachable. Requests that arrive during the first fetch share it instead of failing.
   */
  onApplicationBootstrap(): void {
    void this.loadOrRetry();
    this.refreshTimer = setInterval(() => {
      this.refresh().catch((error: unknown) => this.logger.warn(`JWKS refresh failed, keeping cached keys: ${String(error)}`));
    }, this.tokens.jwksRefreshMs);
    this.refreshTimer.unref();
  }

  onModuleDestroy(): void {
    this.destroyed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.refreshTimer);
  }

  /** The cached key for a kid, without waiting; the hot path. */
  cached(kid: string): KeyObject | undefined {
    return this.keys.get(kid)?.key;
  }

  async getKey(kid: string): Promise<KeyObject> {
    const hit = this.cached(kid);
    if (hit) return hit;
    if (this.inflight || Date.now() - this.lastFetchAt >= this.tokens.jwksCooldownMs) {
      await this.refresh().catch((error: unknown) => this.logger.warn(`JWKS fetch for an unknown kid failed: ${String(error)}`));
      const fetched = this.cached(kid);
      if (fetched) return fetched;
    }
    if (!this.ready) throw new KeysUnavailableError();
    throw new TokenError('token_invalid', 'The token is signed with a key (kid) that the user pool does not publish.');
  }

  /** Fetches the JWKS once; concurrent callers share the same fetch. */
  refresh(): Promise<void> {
    this.inflight ??= this.fetchKeys().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Resolves once no fetch is under way, whatever its outcome (unit specs wait on it: key import is not timer-driven). */
  idle(): Promise<void> {
    return (this.inflight ?? Promise.resolve()).catch(() => undefined);
  }

  private async loadOrRetry(): Promise<void> {
    if (this.destroyed) return;
    try {
      await this.refresh();
      this.logger.log(`Loaded ${this.keys.size} signing key(s) from ${this.pool.jwksUri}`);
    } catch (error) {
      if (this.ready || this.destroyed) return;
      this.logger.error(
        `Could not load the pool's signing keys from ${this.pool.jwksUri} (${String(error)}); retrying in ${this.retryDelayMs / 1000}s`,
      );
      this.retryTimer = setTimeout(() => void (this.ready ? undefined : this.loadOrRetry()), this.retryDelayMs);
      this.retryTimer.unref();
      this.retryDelayMs = Math.min(this.retryDelayMs * 2, Math.max(FIRST_RETRY_MS, this.tokens.jwksCooldownMs));
    }
  }

  private async fetchKeys(): Promise<void> {
    this.lastFetchAt = Date.now();
    const signingKeys = await this.client.getSigningKeys();
    const next = new Map<string, CachedKey>();
    for (const signingKey of signingKeys) {
      if (!signingKey.kid || signingKey.alg !== 'RS256') continue;
      const pem = signingKey.getPublicKey();
      const previous = this.keys.get(signingKey.kid);
      next.set(signingKey.kid, previous?.pem === pem ? previous : { pem, key: createPublicKey(pem) });
    }
    if (next.size === 0) throw new Error('the JWKS has no RS256 signing key with a kid');

    const removed = [...this.keys].filter(([kid, cached]) => next.get(kid) !== cached).map(([kid]) => kid);
    const added = [...next.keys()].filter((kid) => !this.keys.has(kid));
    const firstLoad = !this.ready;
    this.keys = next;
    this.loadedAt = Date.now();
    this.retryDelayMs = FIRST_RETRY_MS;
    if (!firstLoad && added.length > 0) this.logger.log(`JWKS now publishes new key(s): ${added.join(', ')}`);
    if (removed.length > 0) {
      this.logger.log(`JWKS no longer publishes key(s): ${removed.join(', ')}`);
      for (const listener of this.removalListeners) listener();
    }
  }
}
