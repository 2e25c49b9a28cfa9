import { createRequire } from 'node:module';
import jwt from 'jsonwebtoken';

// The emulator's key pair ships inside cognito-local, which is why nothing in production trusts it.
const require = createRequire(import.meta.url);
const { pem: PRIVATE_KEY } = require('cognito-local/lib/keys/cognitoLocal.private.json') as { pem: string };
const { pem: PUBLIC_KEY } = require('cognito-local/lib/keys/cognitoLocal.public.json') as { pem: string };
export const EMULATOR_KEY_ID = 'CognitoLocal';

/** Signs claims as the pool signs every token (RS256, the key its JWKS publishes). */
export function signToken(claims: object): string {
  return jwt.sign(claims, PRIVATE_KEY, { algorithm: 'RS256', keyid: EMULATOR_KEY_ID });
}

export type TokenCheck = { ok: true; claims: Record<string, unknown> } | { ok: false; expired: boolean };

/** A token this pool signed, still valid; else whether it merely expired. */
export function verifyToken(token: string): TokenCheck {
  try {
    return { ok: true, claims: jwt.verify(token, PUBLIC_KEY, { algorithms: ['RS256'] }) as Record<string, unknown> };
  } catch (error) {
    return { ok: false, expired: error instanceof jwt.TokenExpiredError };
  }
}

/** The claims of a JWT without checking it (for tokens the emulator has just issued). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
