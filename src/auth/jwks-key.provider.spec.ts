import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { loadConfig } from '../config/load-config.js';
import { JwksKeyProvider } from './jwks-key.provider.js';
import { KeysUnavailableError, TokenError } from './token-errors.js';

interface TestKey {
  kid: string;
  publicKey: KeyObject;
  alg?: string;
}

function newKey(kid: string, alg = 'RS256'): TestKey {
  return { kid, publicKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, alg };
}

/**
 * The pool's JWKS endpoint as the provider sees it: what it publishes, whether it fails, and each
 * fetch's time; `hold()` keeps the next fetches pending until `release()`.
 */
class FakeJwksEndpoint {
  published: TestKey[] = [];
  failing = false;
  readonly fetchTimes: number[] = [];
  private held: Array<() => void> | null = null;

  readonly fetch = async (): Promise<{ keys: unknown[] }> => {
    this.fetchTimes.push(Date.now());
    if (this.held) await new Promise<void>((resume) => this.held!.push(resume));
    if (this.failing) throw new Error('JWKS endpoint answered HTTP 500');
    return {
      keys: this.published.map((key) => ({ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' })),
    };
  };

  get fetches(): number {
    return this.fetchTimes.length;
  }

  hold(): void {
    this.held = [];
  }

  release(): void {
    const waiting = this.held ?? [];
    this.held = null;
    for (const resume of waiting) resume();
  }
}

const COOLDOWN_MS = 10_000;
const REFRESH_MS = 600_000;

function providerWith(endpoint: FakeJwksEndpoint, env: Record<string, string> = {}): JwksKeyProvider {
  const config = loadConfig({
    DATABASE_URL: 'postgres://app@127.0.0.1:5432/app',
    COGNITO_REGION: 'us-west-2',
    COGNITO_USER_POOL_ID: 'us-west-2_AbCdEf123',
    COGNITO_CLIENT_IDS: 'client-a',
    JWKS_COOLDOWN_SECONDS: String(COOLDOWN_MS / 1000),
    JWKS_REFRESH_SECONDS: String(REFRESH_MS / 1000),
    ...env,
  });
  return new JwksKeyProvider(config.cognito, config.tokens, endpoint.fetch);
}

/** Why getKey refused: the error's code (token_invalid, keys_unavailable...). */
async function refusalOf(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
  } catch (error) {
    if (error instanceof TokenError || error instanceof KeysUnavailableError) return error.code;
    throw error;
  }
  throw new Error('getKey resolved');
}

// Generated once: a 2048-bit key pair takes a while on a busy machine.
const signing = newKey('key-1');
const second = newKey('key-2');
const rs512 = newKey('key-rs512', 'RS512');

describe(JwksKeyProvider.name, () => {
  let endpoint: FakeJwksEndpoint;
  let sut: JwksKeyProvider;

  /** Moves the clock on, and lets a fetch it started finish (the keys are imported by WebCrypto, off the clock). */
  async function after(ms: number): Promise<void> {
    await jest.advanceTimersByTimeAsync(ms);
    await sut.idle();
    await jest.advanceTimersByTimeAsync(0);
  }

  /** Starts the provider as the application does, and lets its first fetch finish. */
  async function started(provider: JwksKeyProvider = providerWith(endpoint)): Promise<JwksKeyProvider> {
    sut = provider;
    sut.onApplicationBootstrap();
    await after(0);
    return sut;
  }

  beforeEach(() => {
    jest.useFakeTimers();
    for (const level of ['log', 'warn', 'error'] as const) jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    endpoint = new FakeJwksEndpoint();
    endpoint.published = [signing];
  });
  afterEach(() => {
    sut?.onModuleDestroy();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('loads the keys at start and then serves them from memory, parsed once', async () => {
    await started();
    expect(sut.ready).toBe(true);
    expect(sut.keyIds).toEqual(['key-1']);
    const key = sut.cached('key-1')!;
    expect(key.equals(signing.publicKey)).toBe(true);
    await expect(sut.getKey('key-1')).resolves.toBe(key);
    expect(endpoint.fetches).toBe(1);
  });

  it('shares one fetch among a flood of unknown kids, and refuses each with 401 token_invalid', async () => {
    await started();
    await jest.advanceTimersByTimeAsync(COOLDOWN_MS);
    endpoint.hold();
    const refusals = Array.from({ length: 1000 }, (_unused, index) => refusalOf(sut.getKey(`forged-${index}`)));
    await jest.advanceTimersByTimeAsync(0);
    expect(endpoint.fetches).toBe(2);
    endpoint.release();
    expect(new Set(await Promise.all(refusals))).toEqual(new Set(['token_invalid']));
    expect(endpoint.fetches).toBe(2);
  });

  it('fetches for unknown kids at most once per cooldown', async () => {
    await started();
    await jest.advanceTimersByTimeAsync(COOLDOWN_MS - 1);
    await expect(refusalOf(sut.getKey('unknown-1'))).resolves.toBe('token_invalid');
    expect(endpoint.fetches).toBe(1); // still in the cooldown of the start-up fetch

    await jest.advanceTimersByTimeAsync(1);
    await expect(refusalOf(sut.getKey('unknown-2'))).resolves.toBe('token_invalid');
    expect(endpoint.fetches).toBe(2);
    await expect(refusalOf(sut.getKey('unknown-3'))).resolves.toBe('token_invalid');
    expect(endpoint.fetches).toBe(2);

    await jest.advanceTimersByTimeAsync(COOLDOWN_MS);
    await expect(refusalOf(sut.getKey('unknown-4'))).resolves.toBe('token_invalid');
    expect(endpoint.fetches).toBe(3);
  });

  it('accepts a key the pool adds once the cooldown since the last fetch is over, without restart', async () => {
    await started();
    const added = second;
    endpoint.published = [signing, added];
    await expect(refusalOf(sut.getKey('key-2'))).resolves.toBe('token_invalid');

    await jest.advanceTimersByTimeAsync(COOLDOWN_MS);
    const key = await sut.getKey('key-2');
    expect(key.equals(added.publicKey)).toBe(true);
    expect(sut.cached('key-1')).toBeDefined();
  });

  it('drops a key the pool removes at the next periodic refresh, and tells the listeners; kept keys are not parsed again', async () => {
    const kept = second;
    endpoint.published = [signing, kept];
    await started();
    const keptKey = sut.cached('key-2');
    const removed = jest.fn();
    sut.onKeysRemoved(removed);

    endpoint.published = [kept];
    await after(REFRESH_MS - 1);
    expect(sut.cached('key-1')).toBeDefined();
    await after(1);
    expect(endpoint.fetches).toBe(2);
    expect(sut.cached('key-1')).toBeUndefined();
    expect(sut.cached('key-2')).toBe(keptKey);
    expect(removed).toHaveBeenCalledTimes(1);

    await after(REFRESH_MS);
    expect(endpoint.fetches).toBe(3);
    expect(removed).toHaveBeenCalledTimes(1); // nothing more removed
  });

  it('keeps the cached keys when a refresh fails, and refuses unknown kids with 401, not 503', async () => {
    await started();
    endpoint.failing = true;
    await jest.advanceTimersByTimeAsync(REFRESH_MS);
    expect(endpoint.fetches).toBe(2);
    expect(sut.cached('key-1')).toBeDefined();
    expect(sut.ready).toBe(true);
    await after(COOLDOWN_MS);
    await expect(refusalOf(sut.getKey('unknown'))).resolves.toBe('token_invalid');
    expect(endpoint.fetches).toBe(3);
  });

  it('retries at start with a delay doubling from 0.5 s up to the cooldown, and is ready at the first success', async () => {
    endpoint.failing = true;
    await started(providerWith(endpoint, { JWKS_COOLDOWN_SECONDS: '2' }));
    const start = endpoint.fetchTimes[0];
    expect(sut.ready).toBe(false);
    await expect(refusalOf(sut.getKey('key-1'))).resolves.toBe('keys_unavailable');

    await jest.advanceTimersByTimeAsync(9600);
    expect(endpoint.fetchTimes.map((time) => time - start)).toEqual([0, 500, 1500, 3500, 5500, 7500, 9500]);

    endpoint.failing = false;
    await after(2000);
    expect(sut.ready).toBe(true);
    expect(endpoint.fetches).toBe(8);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(endpoint.fetches).toBe(8); // no more retries once loaded
  });

  it('is not ready while the JWKS holds no RS256 key with a kid', async () => {
    endpoint.published = [rs512];
    await started();
    expect(sut.ready).toBe(false);
    expect(sut.keyIds).toEqual([]);
    await expect(refusalOf(sut.getKey('key-rs512'))).resolves.toBe('keys_unavailable');
  });

  it('stops retrying and refreshing once the module is destroyed', async () => {
    endpoint.failing = true;
    await started();
    sut.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(REFRESH_MS * 2);
    expect(endpoint.fetches).toBe(1);
  });
});
