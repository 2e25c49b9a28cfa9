import type { FastifyRequest } from 'fastify';
import type { User } from '../users/user.entity.js';
import type { CognitoAccessClaims } from './cognito-claims.js';

/** A person signed in to the pool: the verified token's claims and the users row they map to. */
export interface PersonPrincipal {
  kind: 'person';
  claims: CognitoAccessClaims;
  user: User;
}

/**
 * An app client calling on its own behalf (OAuth2 client credentials): no username, `sub` equals
 * `client_id`. It never has a users row.
 */
export interface MachinePrincipal {
  kind: 'machine';
  claims: CognitoAccessClaims;
}

/** Who is calling, as the global JwtAuthGuard established it. */
export type Principal = PersonPrincipal | MachinePrincipal;

/** The only identity the guard leaves on a request: `request.principal`. */
export type AuthenticatedRequest = FastifyRequest & { principal?: Principal };
