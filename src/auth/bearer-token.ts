import { TokenError } from './token-errors.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Reads the token from `Authorization: Bearer <token>` only (never from a query or cookie):
 * the scheme is case-insensitive, and exactly one token in three base64url segments is allowed.
 */
export function readBearerToken(header: string | string[] | undefined): string {
  if (header === undefined || header === '') {
    throw new TokenError('token_missing', 'Send an access token in the header "Authorization: Bearer <token>".');
  }
  if (Array.isArray(header)) {
    throw new TokenError('token_malformed', 'Send exactly one Authorization header.');
  }
  const match = /^([A-Za-z]+) +(\S+)$/.exec(header.trim());
  if (!match || match[1].toLowerCase() !== 'bearer') {
    throw new TokenError('token_malformed', 'The Authorization header must be "Bearer <token>" with exactly one token.');
  }
  const token = match[2];
  if (!JWT_SHAPE.test(token)) {
    throw new TokenError('token_malformed', 'The bearer token is not a JWT (three base64url segments separated by dots).');
  }
  return token;
}
