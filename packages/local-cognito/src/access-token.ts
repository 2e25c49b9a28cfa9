import { createPublicKey } from 'node:crypto';
import { createRequire } from 'node:module';
import jwt from 'jsonwebtoken';
import { type CognitoAnswer, fail } from './cognito-answer.js';

const { pem } = createRequire(import.meta.url)('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string };
/** The emulator signs with this key only; its public half checks the tokens sent back to the pool. */
const EMULATOR_PUBLIC_KEY = createPublicKey(pem);

export interface AccessClaims {
  sub: string;
  username: string;
  client_id: string;
  token_use: string;
  iss: string;
  exp: number;
}

/**
 * The claims of an access token this pool signed, or Cognito's refusal: the emulator itself only
 * decodes the token of GetUser, UpdateUserAttributes and the like, so anyone's name would do.
 */
export function verifyAccessToken(token: unknown, issuerBase: string): AccessClaims | CognitoAnswer {
  if (typeof token !== 'string' || token === '') return fail('InvalidParameterException', 'Missing required parameter AccessToken');
  try {
    const claims = jwt.verify(token, EMULATOR_PUBLIC_KEY, { algorithms: ['RS256'] }) as Partial<AccessClaims>;
    if (
      claims.token_use !== 'access' ||
      typeof claims.username !== 'string' ||
      typeof claims.iss !== 'string' ||
      !claims.iss.startsWith(`${issuerBase}/`)
    ) {
      return fail('NotAuthorizedException', 'Invalid Access Token');
    }
    return claims as AccessClaims;
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) return fail('NotAuthorizedException', 'Access Token has expired');
    return fail('NotAuthorizedException', 'Invalid Access Token');
  }
}
