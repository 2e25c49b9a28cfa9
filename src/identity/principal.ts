import type { FastifyRequest } from 'fastify';
import type { CognitoSettings } from '../config/app-config.js';
import type { User } from '../users/user.entity.js';
import type { CognitoAccessClaims } from './cognito-claims.js';

/** A person signed in to one of the pools: the verified token's claims, its pool, and the users row of (pool, sub). */
export interface PersonPrincipal {
  kind: 'person';
  claims: CognitoAccessClaims;
  pool: CognitoSettings;
  user: User;
}

/**
 * An app client calling on its own behalf (OAuth2 client credentials): no username, `sub` equals
 * `client_id`. It never has a users row.
 */
export interface MachinePrincipal {
  kind: 'machine';
  claims: CognitoAccessClaims;
  pool: CognitoSettings;
}

/** Who is calling, as the global JwtAuthGuard established it. */
export type Principal = PersonPrincipal | MachinePrincipal;

/** The only identity the guard leaves on a request: `request.principal`. */
export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };
