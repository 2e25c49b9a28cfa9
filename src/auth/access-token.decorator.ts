import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../identity/principal.js';
import { tokenFromRequest } from './cognito-jwt.strategy.js';

/** The caller's raw access token (already verified by the global guard), for calls to the pool on their behalf. */
export const AccessToken = createParamDecorator((_data: unknown, context: ExecutionContext): string =>
  tokenFromRequest(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);
