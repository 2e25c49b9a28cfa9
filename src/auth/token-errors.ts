import { HttpStatus } from '@nestjs/common';
import { ApiError } from '../common/api-error.js';
import { quotedString } from '../common/header-value.js';

/** Why a bearer token was refused; each cause has its own stable `code`. */
export type TokenErrorCode =
  | 'token_missing'
  | 'token_malformed'
  | 'token_invalid'
  | 'token_expired'
  | 'token_not_yet_valid'
  | 'token_wrong_issuer'
  | 'token_wrong_use'
  | 'token_wrong_client'
  | 'token_wrong_audience'
  | 'token_revoked';

/** A 401 with an RFC 6750 challenge. Messages never echo the token. */
export class TokenError extends ApiError {
  constructor(code: TokenErrorCode, message: string) {
    const challenge =
      code === 'token_missing'
        ? 'Bearer realm="api"'
        : `Bearer realm="api", error="invalid_token", error_description=${quotedString(message)}`;
    super(HttpStatus.UNAUTHORIZED, code, message, { 'www-authenticate': challenge });
  }
}

/** 503, not 401: the token may be fine, but no signing key has ever been loaded to check it. */
export class KeysUnavailableError extends ApiError {
  constructor() {
    super(HttpStatus.SERVICE_UNAVAILABLE, 'keys_unavailable', "The user pool's signing keys could not be loaded yet; retry shortly.", {
      'retry-after': '5',
    });
  }
}
