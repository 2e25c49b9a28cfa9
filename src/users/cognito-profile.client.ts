import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';

export const GET_USER_TIMEOUT_MS = 3000;

/** The pool's attributes of a user, as this API names them. */
export interface PoolProfile {
  username: string;
  email: string | null;
  emailVerified: boolean;
  firstName: string | null;
  lastName: string | null;
}

interface GetUserAnswer {
  Username?: string;
  UserAttributes?: Array<{ Name: string; Value?: string }>;
}

/** Cognito's error answers: `{ "__type": "NotAuthorizedException", "message": "..." }`. */
interface ErrorAnswer {
  __type?: string;
  message?: string;
}

/**
 * Reads the caller's attributes with Cognito GetUser, authorised by the caller's own access
 * token: no AWS credentials and no request signing needed, and it works against the emulator and AWS
 * alike. One plain JSON POST: the AWS SDK's middleware stack cost more CPU than the rest of a new
 * user's first request.
 */
@Injectable()
export class CognitoProfileClient {
  private readonly url: string;

  constructor(config: AppConfig) {
    this.url = `${config.cognito.endpoint}/`;
  }

  async getProfile(accessToken: string): Promise<PoolProfile> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AWSCognitoIdentityProviderService.GetUser',
      },
      body: JSON.stringify({ AccessToken: accessToken }),
      signal: AbortSignal.timeout(GET_USER_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) {
      const error = parse<ErrorAnswer>(text);
      // Only the error's name and message: the answer never holds the token, but keep logs plain.
      const name = error?.__type?.split('#').pop() ?? 'UnknownError';
      throw new Error(`Cognito GetUser answered ${response.status} ${name}: ${error?.message ?? ''}`.trim());
    }
    const result = parse<GetUserAnswer>(text);
    if (!result) throw new Error('Cognito GetUser answered with something other than JSON');
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

function parse<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}
