import identity from 'amazon-cognito-identity-js';
import type { CognitoUserSession } from 'amazon-cognito-identity-js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = identity;

/** A full SRP exchange is 3072-bit arithmetic in the client library: up to 25 s on Node 24 on a busy 2-core machine. */
export const SRP_TEST_TIMEOUT_MS = 60_000;

/** Where a local pool answers: `npm start`'s, the test run's, or the compose stack's. */
export interface PoolAddress {
  userPoolId: string;
  endpoint: string;
}

/** amazon-cognito-identity-js as an SPA uses it, with only the pool's endpoint changed. */
export function userPool(pool: PoolAddress, clientId: string): identity.CognitoUserPool {
  return new CognitoUserPool({ UserPoolId: pool.userPoolId, ClientId: clientId, endpoint: pool.endpoint });
}

/** `authenticateUser`, the library's default flow: USER_SRP_AUTH, then PASSWORD_VERIFIER. */
export function srpSignIn(
  pool: PoolAddress,
  clientId: string,
  username: string,
  password: string,
): Promise<{ user: identity.CognitoUser; session: CognitoUserSession }> {
  const user = new CognitoUser({ Username: username, Pool: userPool(pool, clientId) });
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (session) => resolve({ user, session }),
      onFailure: reject,
    });
  });
}
