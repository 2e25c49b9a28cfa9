import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { accountDisabled, ApiError } from '../common/api-error.js';
import { UsersService } from '../users/users.service.js';
import { readBearerToken } from './bearer-token.js';
import { BEARER_TOKEN, COGNITO_JWT } from './cognito-jwt.strategy.js';
import type { AuthenticatedRequest } from './principal.js';
import { IS_PUBLIC } from './public.decorator.js';
import { TokenError } from './token-errors.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

/** Maps what jsonwebtoken reports (by error name) to this API's token error codes. */
function toTokenError(info: unknown): ApiError {
  if (info instanceof ApiError) return info;
  const { name, message } = info instanceof Error ? info : { name: '', message: '' };
  if (name === 'TokenExpiredError')
    return new TokenError('token_expired', 'The token has expired; sign in again or use the refresh token.');
  if (name === 'NotBeforeError') return new TokenError('token_not_yet_valid', 'The token is not valid yet ("nbf"); check the clocks.');
  if (message.startsWith('jwt issuer invalid')) {
    return new TokenError('token_wrong_issuer', 'The token was issued by another user pool than the one this API trusts (check "iss").');
  }
  if (message === 'jwt malformed' || message === 'invalid token') {
    return new TokenError('token_malformed', 'The token could not be decoded.');
  }
  if (message === 'invalid signature') return new TokenError('token_invalid', 'The token signature does not verify.');
  return new TokenError('token_invalid', 'The token could not be verified.');
}

/**
 * The one global guard: every route needs a valid Cognito access token unless marked @Public().
 * After the token, it resolves the caller's user row and refuses deactivated accounts.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(COGNITO_JWT) {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifiedTokens: VerifiedTokenCache,
    private readonly users: UsersService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) {
      return true;
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest & { [BEARER_TOKEN]?: string }>();
    const token = readBearerToken(request.headers.authorization);
    let claims = this.verifiedTokens.get(token);
    if (!claims) {
      request[BEARER_TOKEN] = token;
      await super.canActivate(context);
      claims = request.user!;
      this.verifiedTokens.set(token, claims);
    }
    const user = await this.users.resolve(claims, token);
    this.users.assertTokenCurrent(user, claims);
    if (!user.isActive) throw accountDisabled();
    request.principal = { claims, user };
    return true;
  }

  override handleRequest<T>(error: unknown, user: T, info: unknown): T {
    if (error) throw toTokenError(error);
    if (!user) throw toTokenError(info);
    return user;
  }
}
