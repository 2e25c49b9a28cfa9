import { Injectable } from '@nestjs/common';
import { CognitoIdentityProviderClient, GetUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { AppConfig } from '../config/app-config.js';

export const GET_USER_TIMEOUT_MS = 3000;

/** Cognito's limit for an attribute value, in characters; the users columns are sized for it. */
export const MAX_ATTRIBUTE_LENGTH = 2048;

/**
 * An attribute value as it can be stored: without NUL (which PostgreSQL text cannot hold) and
 * never longer than the column, counted in code points as PostgreSQL counts.
 */
export function storableAttribute(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const cleaned = value.replaceAll('\u0000', '');
  return cleaned.length <= MAX_ATTRIBUTE_LENGTH ? cleaned : Array.from(cleaned).slice(0, MAX_ATTRIBUTE_LENGTH).join('');
}

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
    const result = await this.client.send(new GetUserCommand({ AccessToken: accessToken }), {
      abortSignal: AbortSignal.timeout(GET_USER_TIMEOUT_MS),
    });
    const attributes = new Map((result.UserAttributes ?? []).map((attribute) => [attribute.Name, storableAttribute(attribute.Value)]));
    return {
      username: attributes.get('preferred_username') ?? storableAttribute(result.Username) ?? '',
      email: attributes.get('email') ?? null,
      emailVerified: attributes.get('email_verified') === 'true',
      firstName: attributes.get('given_name') ?? null,
      lastName: attributes.get('family_name') ?? null,
    };
  }
}
