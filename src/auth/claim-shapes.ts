import { TokenError } from './token-errors.js';

/** Longest `sub`, `username` and `client_id`: Cognito's own limit for usernames and the users.sub column. */
export const MAX_ID_LENGTH = 128;
/** Longest `scope`: a few dozen custom scopes of up to 256 characters each fit well below this. */
export const MAX_SCOPE_LENGTH = 2048;
/** Cognito caps a user pool at 10,000 groups but a token at what a header can carry; 100 is generous. */
export const MAX_GROUPS = 100;
export const MAX_GROUP_LENGTH = 128;

// C0 and C1 controls, DEL included: never part of an identifier, and NUL cannot be stored in PostgreSQL text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A lone surrogate: not Unicode text. PostgreSQL would store it as U+FFFD, so that two such subs
// would name one row, and the row read back would not carry the sub that was looked up.
const LONE_SURROGATE = /\p{Surrogate}/u;

function invalid(claim: string, why: string): TokenError {
  return new TokenError('token_invalid', `The token's "${claim}" claim ${why}.`);
}

function checkText(claim: string, value: unknown, maxLength: number): void {
  if (typeof value !== 'string') throw invalid(claim, 'is not a string');
  if (value === '') throw invalid(claim, 'is empty');
  if (value.length > maxLength) throw invalid(claim, `is longer than ${maxLength} characters`);
  if (CONTROL.test(value)) throw invalid(claim, 'holds control characters');
  if (LONE_SURROGATE.test(value)) throw invalid(claim, 'is not well-formed Unicode (a lone surrogate)');
}

/** Times the pool sends as NumericDate; any other type is a token the pool never issued. */
const TIME_CLAIMS = ['exp', 'iat', 'nbf', 'auth_time'] as const;

/**
 * The claims this API reads or stores, checked for type, size and content before anything uses
 * them: a token that passes here can never make a database write fail.
 */
export function checkClaimShapes(payload: Record<string, unknown>): void {
  for (const claim of TIME_CLAIMS) {
    const value = payload[claim];
    // A string "9999999999" would skip the future-iat check, and "abc" a sign-out everywhere (NaN compares false).
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) throw invalid(claim, 'is not a number');
  }
  checkText('sub', payload.sub, MAX_ID_LENGTH);
  checkText('client_id', payload.client_id, MAX_ID_LENGTH);
  if (payload.username !== undefined) checkText('username', payload.username, MAX_ID_LENGTH);
  if (payload.scope !== undefined) checkText('scope', payload.scope, MAX_SCOPE_LENGTH);
  const groups = payload['cognito:groups'];
  if (groups !== undefined) {
    if (!Array.isArray(groups)) throw invalid('cognito:groups', 'is not a list');
    if (groups.length > MAX_GROUPS) throw invalid('cognito:groups', `lists more than ${MAX_GROUPS} groups`);
    for (const group of groups) checkText('cognito:groups', group, MAX_GROUP_LENGTH);
  }
}
