import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import passport from 'passport';
import { Strategy } from 'passport-jwt';
import { ApiError } from '../common/api-error.js';
import { AppConfig, type CognitoSettings } from '../config/app-config.js';
import { UserPools } from '../config/user-pools.js';
import type { CognitoAccessClaims } from '../identity/cognito-claims.js';
import { readBearerToken } from './bearer-token.js';
import { checkClaimShapes } from './claim-shapes.js';
import { PoolKeys } from './pool-keys.js';
import { checkTokenHeader } from './token-header.js';
import { TokenError } from './token-errors.js';

export const COGNITO_JWT = 'cognito-jwt';

/** A token that passed every check: its claims, and the pool that issued it (found by its exact `iss`). */
export interface VerifiedToken {
  claims: CognitoAccessClaims;
  pool: CognitoSettings;
}

function wrongIssuer(): TokenError {
  return new TokenError('token_wrong_issuer', 'The token was issued by another user pool than the ones this API trusts (check "iss").');
}

/**
 * The `iss` of a token whose signature is not checked yet: read only to pick the pool whose keys
 * and rules then check it, so that no key is looked up (nor any JWKS fetched) for an issuer that
 * is not configured.
 */
function unverifiedIssuer(token: string): unknown {
  const start = token.indexOf('.') + 1;
  const end = token.indexOf('.', start);
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(token.slice(start, end < 0 ? undefined : end), 'base64url').toString('utf8'));
  } catch {
    throw new TokenError('token_malformed', 'The token could not be decoded.');
  }
  return payload !== null && typeof payload === 'object' ? (payload as { iss?: unknown }).iss : undefined;
}

/**
 * The strategy's token extractor: `Authorization: Bearer <token>` only (see bearer-token.ts). A
 * missing or unreadable token throws its TokenError, so the caller learns why, not just "no token".
 */
export function tokenFromRequest(request: { headers: IncomingHttpHeaders }): string {
  return readBearerToken(request.headers.authorization);
}

/** Maps what jsonwebtoken reports (by error name) to this API's token error codes. */
function toTokenError(info: unknown): ApiError {
  if (info instanceof ApiError) return info;
  const { name, message } = info instanceof Error ? info : { name: '', message: '' };
  if (name === 'TokenExpiredError')
    return new TokenError('token_expired', 'The token has expired; sign in again or use the refresh token.');
  if (name === 'NotBeforeError') return new TokenError('token_not_yet_valid', 'The token is not valid yet ("nbf"); check the clocks.');
  if (message.startsWith('jwt issuer invalid')) return wrongIssuer();
  if (message === 'jwt malformed' || message === 'invalid token') {
    return new TokenError('token_malformed', 'The token could not be decoded.');
  }
  if (message === 'invalid signature') return new TokenError('token_invalid', 'The token signature does not verify.');
  return new TokenError('token_invalid', 'The token could not be verified.');
}

/** `aud` is a string or a list of strings (RFC 7519); this API's identifier must be one of them, exactly. */
function namesAudience(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}

/**
 * Verifies the signature, issuer and times (passport-jwt), then Cognito's own claim rules (validate),
 * each with the keys and rules of the pool the token's `iss` names exactly.
 */
@Injectable()
export class CognitoJwtStrategy extends PassportStrategy(Strategy, COGNITO_JWT) {
  /** Each pool's accepted app clients, by pool name. */
  private readonly clientIds: ReadonlyMap<string, ReadonlySet<string>>;
  private readonly skewSeconds: number;

  constructor(
    config: AppConfig,
    keys: PoolKeys,
    private readonly pools: UserPools,
  ) {
    super({
      jwtFromRequest: tokenFromRequest,
      // jsonwebtoken takes a KeyObject as well as a PEM; the typings only know the PEM.
      secretOrKeyProvider: (_request: unknown, rawToken: string, done: (error: unknown, key?: string) => void) => {
        const found = (key: KeyObject) => done(null, key as unknown as string);
        try {
          const kid = checkTokenHeader(rawToken, config.production);
          const pool = pools.ofIssuer(unverifiedIssuer(rawToken));
          if (!pool) throw wrongIssuer();
          const poolKeys = keys.of(pool.name);
          const key = poolKeys.cached(kid);
          if (key) return found(key);
          poolKeys.getKey(kid).then(found, done);
        } catch (error) {
          done(error);
        }
      },
      // Top level on purpose: passport-jwt drops issuer/algorithms given inside jsonWebTokenOptions.
      // The signature is checked with the keys of the pool `iss` names, so `iss` is that pool's.
      issuer: config.pools.flatMap((pool) => pool.issuers),
      algorithms: ['RS256'],
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: config.tokens.clockSkewSeconds },
    });
    this.clientIds = new Map(config.pools.map((pool) => [pool.name, new Set(pool.clientIds)]));
    this.skewSeconds = config.tokens.clockSkewSeconds;
  }

  /**
   * Runs this strategy on one request through passport and resolves with the verified claims, or
   * rejects with a TokenError. The callback form leaves nothing on the request (no `request.user`).
   */
  verifyRequest(request: object): Promise<VerifiedToken> {
    return new Promise((resolve, reject) => {
      const authenticate = passport.authenticate(COGNITO_JWT, { session: false }, (error: unknown, verified: unknown, info: unknown) => {
        if (error) reject(toTokenError(error));
        else if (!verified) reject(toTokenError(info));
        else resolve(verified as VerifiedToken);
      }) as (request: object, response: object, next: (error: unknown) => void) => void;
      // The extractor runs synchronously in here: its TokenError rejects this promise as it is.
      authenticate(request, {}, (error) => reject(toTokenError(error)));
    });
  }

  /**
   * Claim rules only, those of the token's pool; never touches the database. Cognito access tokens
   * carry an `aud` only when bound to a resource (RFC 8707): checked only when the pool's
   * COGNITO_AUDIENCE names this API.
   */
  validate(payload: Record<string, unknown>): VerifiedToken {
    const pool = this.pools.ofIssuer(payload.iss);
    if (!pool) throw wrongIssuer();
    if (payload.token_use !== 'access') {
      throw new TokenError(
        'token_wrong_use',
        payload.token_use === 'id'
          ? 'This is an ID token; send the access token instead.'
          : 'The token is not a Cognito access token (token_use must be "access").',
      );
    }
    if (payload.client_id === undefined) {
      throw new TokenError('token_wrong_client', 'The token names no app client ("client_id").');
    }
    if (payload.sub === undefined || payload.sub === '') {
      throw new TokenError('token_invalid', 'The token has no subject ("sub").');
    }
    checkClaimShapes(payload);
    if (!this.clientIds.get(pool.name)?.has(payload.client_id as string)) {
      throw new TokenError('token_wrong_client', 'The token was issued to an app client that this API does not accept.');
    }
    if (pool.audience !== undefined && !namesAudience(payload.aud, pool.audience)) {
      throw new TokenError('token_wrong_audience', `The token is not bound to this API: its "aud" must name ${pool.audience}.`);
    }
    if (typeof payload.exp !== 'number') {
      throw new TokenError('token_invalid', 'The token has no expiry ("exp").');
    }
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + this.skewSeconds) {
      throw new TokenError('token_not_yet_valid', 'The token claims to be issued in the future ("iat"); check the clocks.');
    }
    return { claims: payload as unknown as CognitoAccessClaims, pool };
  }
}
