import { TokenError } from './token-errors.js';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const WHITESPACE = /\s/;
const SCHEME = 'bearer';

const notOneToken = () => new TokenError('token_malformed', 'The Authorization header must be "Bearer <token>" with exactly one token.');

/**
 * The credential of `Authorization: Bearer <credential>` (never a query or cookie), the scheme in any
 * case, without looking inside it: enough to find a token verified before, which had a JWT's shape then.
 * Anything else must go through readBearerToken.
 */
export function readBearerCredential(header: string | string[] | undefined): string {
  if (header === undefined || header === '') {
    throw new TokenError('token_missing', 'Send an access token in the header "Authorization: Bearer <token>".');
  }
  if (Array.isArray(header)) {
    throw new TokenError('token_malformed', 'Send exactly one Authorization header.');
  }
  const value = header.trim();
  if (value.indexOf(' ') !== SCHEME.length || value.slice(0, SCHEME.length).toLowerCase() !== SCHEME) throw notOneToken();
  let start = SCHEME.length;
  while (value.charCodeAt(start) === 0x20) start++;
  return value.slice(start);
}

/**
 * The token of `Authorization: Bearer <token>`: exactly one token in three base64url segments. One
 * pattern over the token checks both (a JWT holds no whitespace); the other tells which rule it broke.
 */
export function readBearerToken(header: string | string[] | undefined): string {
  const token = readBearerCredential(header);
  if (!JWT_SHAPE.test(token)) {
    if (token === '' || WHITESPACE.test(token)) throw notOneToken();
    throw new TokenError('token_malformed', 'The bearer token is not a JWT (three base64url segments separated by dots).');
  }
  return token;
}
