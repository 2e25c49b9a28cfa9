import { Injectable, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { PerPool } from '../common/per-pool.js';
import { AppConfig } from '../config/app-config.js';
import { canCallPool, sessionOf, type CognitoAccessClaims } from '../identity/cognito-claims.js';
import { countTokenRecheck } from '../metrics/metrics.js';
import { CognitoProfileClient } from './cognito-profile.client.js';
import { RevokedSessions } from './revoked-sessions.js';

/** Sessions scheduled at once per pool; past it the least recent are forgotten (and may be checked again sooner). */
export const MAX_SCHEDULED_SESSIONS = 100_000;

/**
 * Told that the pool said the user is disabled, in an answer to a question asked at `askedAt`: a change
 * made here since (an admin's reactivation) is newer than that answer and wins over it.
 */
export type DisabledHandler = (askedAt: Date) => Promise<unknown>;

/**
 * Rechecks each sign-in session with the pool at most once per TOKEN_RECHECK_SECONDS, in the background,
 * first a period after the token it is first seen with was issued: a request pays one map lookup and
 * never waits for the pool. A revoked session is refused everywhere
 * (RevokedSessions); a disabled user is handed to `onDisabled`; a pool that cannot answer changes nothing.
 */
@Injectable()
export class SessionRecheck {
  private readonly logger = new Logger(SessionRecheck.name);
  /** By pool, session (else the token) -> when it is next due (epoch ms); the least recently used are forgotten past the bound. */
  private readonly checked: PerPool<LRUCache<string, number>> | undefined;
  private readonly periodMs: number;

  constructor(
    config: AppConfig,
    private readonly pool: CognitoProfileClient,
    private readonly revokedSessions: RevokedSessions,
  ) {
    this.periodMs = config.tokenRecheckMs;
    if (this.periodMs > 0) this.checked = new PerPool(() => new LRUCache({ max: MAX_SCHEDULED_SESSIONS }));
  }

  /** Schedules a check of the token's session with its pool if one is due; returns at once. */
  consider(pool: string, claims: CognitoAccessClaims, accessToken: string, onDisabled: DisabledHandler): void {
    if (!this.checked) return;
    const session = sessionOf(claims);
    const key = session ?? accessToken;
    const checked = this.checked.for(pool);
    const now = Date.now();
    let due = checked.get(key);
    if (due === undefined) {
      // The pool issued this token at `iat`, so the session was valid then: a change since is found by a
      // check a period after it, as by one now. A session used for less than a period costs no call.
      due = Math.min(typeof claims.iat === 'number' ? claims.iat * 1000 + this.periodMs : now, now + this.periodMs);
      if (due > now) checked.set(key, due);
    }
    if (due > now) return;
    checked.set(key, now + this.periodMs);
    if (!canCallPool(claims)) {
      countTokenRecheck('not_checkable');
      return;
    }
    setImmediate(() => void this.check(pool, key, session, claims, accessToken, onDisabled));
  }

  private async check(
    pool: string,
    key: string,
    session: string | undefined,
    claims: CognitoAccessClaims,
    accessToken: string,
    onDisabled: DisabledHandler,
  ): Promise<void> {
    let outcome: 'valid' | 'revoked' | 'disabled';
    const askedAt = new Date();
    try {
      outcome = await this.pool.checkToken(pool, accessToken);
    } catch (error) {
      // The pool unreachable or failing never locks anyone out: checked again next period.
      countTokenRecheck('failed');
      this.logger.debug(`Session recheck failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    countTokenRecheck(outcome);
    try {
      // A token without a session id cannot be refused alone; the pool refuses its refreshes anyway.
      if (outcome === 'revoked' && session) await this.revokedSessions.revoke(pool, session, claims.exp);
      else if (outcome === 'disabled') await onDisabled(askedAt);
    } catch (error) {
      // Not recorded: the next period checks again.
      this.checked?.of(pool)?.delete(key);
      this.logger.warn(`Session recheck outcome ${outcome} not recorded: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
