import { Injectable } from '@nestjs/common';
import type { KeyObject } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy } from 'passport-jwt';
import { AppConfig } from '../config/app-config.js';
import { CognitoAccessClaims } from './cognito-claims.js';
import { JwksKeyProvider } from './jwks-key.provider.js';
import { checkTokenHeader } from './token-header.js';
import { TokenError } from './token-errors.js';

export const COGNITO_JWT = 'cognito-jwt';

/** Where the guard leaves the already-parsed bearer token for passport-jwt to pick up. */
export const BEARER_TOKEN = Symbol('bearer-token');

type RequestWithToken = { [BEARER_TOKEN]?: string };

/** Verifies the signature, issuer and times (passport-jwt), then Cognito's own claim rules (validate). */
@Injectable()
export class CognitoJwtStrategy extends PassportStrategy(Strategy, COGNITO_JWT) {
  private readonly clientIds: ReadonlySet<string>;
  private readonly skewSeconds: number;

  constructor(config: AppConfig, keys: JwksKeyProvider) {
    super({
      jwtFromRequest: (request: RequestWithToken) => request[BEARER_TOKEN] ?? null,
      // jsonwebtoken takes a KeyObject as well as a PEM; the typings only know the PEM.
      secretOrKeyProvider: (_request: unknown, rawToken: string, done: (error: unknown, key?: string) => void) => {
        const found = (key: KeyObject) => done(null, key as unknown as string);
        try {
          const kid = checkTokenHeader(rawToken, config.production);
          const key = keys.cached(kid);
          if (key) return found(key);
          keys.getKey(kid).then(found, done);
        } catch (error) {
          done(error);
        }
      },
      // Top level on purpose: passport-jwt drops issuer/algorithms given inside jsonWebTokenOptions.
      issuer: config.cognito.issuer,
      algorithms: ['RS256'],
      ignoreExpiration: false,
      jsonWebTokenOptions: { clockTolerance: config.tokens.clockSkewSeconds },
    });
    this.clientIds = new Set(config.cognito.clientIds);
    this.skewSeconds = config.tokens.clockSkewSeconds;
  }

  /** Claim rules only; never touches the database. Cognito access tokens carry no `aud`. */
  validate(payload: Record<string, unknown>): CognitoAccessClaims {
    if (payload.token_use !== 'access') {
      throw new TokenError(
        'token_wrong_use',
        payload.token_use === 'id'
          ? 'This is an ID token; send the access token instead.'
          : 'The token is not a Cognito access token (token_use must be "access").',
      );
    }
    if (typeof payload.client_id !== 'string' || !this.clientIds.has(payload.client_id)) {
      throw new TokenError('token_wrong_client', 'The token was issued to an app client that this API does not accept.');
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') {
      throw new TokenError('token_invalid', 'The token has no subject ("sub").');
    }
    if (typeof payload.exp !== 'number') {
      throw new TokenError('token_invalid', 'The token has no expiry ("exp").');
    }
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + this.skewSeconds) {
      throw new TokenError('token_not_yet_valid', 'The token claims to be issued in the future ("iat"); check the clocks.');
    }
    return payload as unknown as CognitoAccessClaims;
  }
}
