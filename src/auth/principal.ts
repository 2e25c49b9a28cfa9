import type { FastifyRequest } from 'fastify';
import type { User } from '../users/user.entity.js';
import type { CognitoAccessClaims } from './cognito-claims.js';

/** Who is calling: the verified token's claims and the user row they map to. */
export interface Principal {
  claims: CognitoAccessClaims;
  user: User;
}

export type AuthenticatedRequest = FastifyRequest & { principal?: Principal; user?: CognitoAccessClaims };
