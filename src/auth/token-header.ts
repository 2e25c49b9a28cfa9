import { EMULATOR_KEY_ID } from '../config/app-config.js';
import { TokenError } from './token-errors.js';

/**
 * Checks the JOSE header before any key is looked up. Only `alg` and `kid` are used: key hints
 * such as `jku`, `x5u`, `jwk` or `x5c` are never fetched or trusted, and any `crit` extension is refused.
 */
export function checkTokenHeader(token: string, production: boolean): string {
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new TokenError('token_malformed', 'The token header is not valid base64url-encoded JSON.');
  }
  if (header === null || typeof header !== 'object') {
    throw new TokenError('token_malformed', 'The token header is not a JSON object.');
  }
  if (header.alg !== 'RS256') {
    throw new TokenError('token_invalid', `The token must be signed with RS256 (header says ${JSON.stringify(header.alg ?? null)}).`);
  }
  if ('crit' in header) {
    throw new TokenError('token_invalid', 'The token header lists critical extensions ("crit") that this API does not support.');
  }
  const { kid } = header;
  if (typeof kid !== 'string' || kid === '') {
    throw new TokenError('token_invalid', 'The token header has no key id ("kid").');
  }
  if (production && kid === EMULATOR_KEY_ID) {
    throw new TokenError('token_invalid', 'The token is signed by the local Cognito emulator, which is never trusted in production.');
  }
  return kid;
}
