import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { readBearerToken } from './bearer-token.js';
import type { AuthenticatedRequest } from './principal.js';

/** The caller's raw access token (already verified by the global guard), for calls to the pool on their behalf. */
export const AccessToken = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  readBearerToken(context.switchToHttp().getRequest<AuthenticatedRequest>().headers.authorization),
);
