import { Injectable } from '@nestjs/common';
import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AppConfig } from '../config/app-config.js';
import { countGetUser } from '../metrics/metrics.js';

export const GET_USER_TIMEOUT_MS = 3000;

/** The pool's attributes of a user, as this API names them. */
export interface PoolProfile {
  username: string;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
}

/**
 * Reads the caller's attributes with Cognito GetUser, authorised by the caller's own access
 * token: no AWS credentials needed, and it works against the emulator and AWS alike.
 */
@Injectable()
export class CognitoProfileClient {
  private readonly client: CognitoIdentityProviderClient;

  constructor(config: AppConfig) {
    this.client = new CognitoIdentityProviderClient({
      region: config.cognito.region,
      endpoint: config.cognito.endpoint,
      maxAttempts: 1,
    });
  }

  async getProfile(accessToken: string): Promise<PoolProfile> {
    const result = await countGetUser(
      this.client.send(new GetUserCommand({ AccessToken: accessToken }), { abortSignal: AbortSignal.timeout(GET_USER_TIMEOUT_MS) }),
    );
    const attributes = new Map((result.UserAttributes ?? []).map((attribute) => [attribute.Name, attribute.Value ?? null]));
    return {
      username: attributes.get('preferred_username') ?? result.Username ?? '',
      email: attributes.get('email') ?? null,
      emailVerified: attributes.get('email_verified') === 'true',
      firstName: attributes.get('given_name') ?? null,
      lastName: attributes.get('family_name') ?? null,
    };
  }
}
