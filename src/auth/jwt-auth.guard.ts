import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { accountDisabled } from '../common/api-error.js';
import { isMachineToken } from '../identity/cognito-claims.js';
import type { AuthenticatedRequest, Principal } from '../identity/principal.js';
import { UserAccounts } from '../identity/user-accounts.js';
import { userTokenRequired } from './access-errors.js';
import { readBearerCredential } from './bearer-token.js';
import { CognitoJwtStrategy, type VerifiedToken } from './cognito-jwt.strategy.js';
import { IS_PUBLIC } from './public.decorator.js';
import { REQUIRED_SCOPES } from './scopes.guard.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

/**
 * The one global guard: every route needs a valid Cognito access token unless marked @Public().
 * A request goes public? -> verify the token -> find the principal -> check the account, and
 * leaves `request.principal` behind; nothing else.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly strategy: CognitoJwtStrategy,
    private readonly verifiedTokens: VerifiedTokenCache,
    private readonly accounts: UserAccounts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.isPublic(context)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const { token, verified } = await this.verify(request);
    const principal = await this.principalOf(verified, token);
    this.checkAccount(principal, context);
    request.principal = principal;
    return true;
  }

  private isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
  }

  /**
   * A token seen before costs a map lookup; a new one gets the full check (its shape, its pool's keys,
   * issuer, claims). Only verified tokens are cached, so a credential found needs no shape check.
   */
  private async verify(request: AuthenticatedRequest): Promise<{ token: string; verified: VerifiedToken }> {
    const token = readBearerCredential(request.headers.authorization);
    const key = this.verifiedTokens.keyOf(token);
    let verified = this.verifiedTokens.get(key);
    if (!verified) {
      verified = await this.strategy.verifyRequest(request);
      this.verifiedTokens.set(key, verified);
    }
    return { token, verified };
  }

  /** A machine client never gets a users row (nor a GetUser call); a person's row (pool, sub) is found or created. */
  private async principalOf({ claims, pool }: VerifiedToken, token: string): Promise<Principal> {
    if (isMachineToken(claims)) return { kind: 'machine', claims, pool };
    return { kind: 'person', claims, pool, user: await this.accounts.resolve(claims, token, pool.name) };
  }

  /** Routes are for people unless they name scopes (@Scopes, @Access); revoked tokens and deactivated people are refused. */
  private checkAccount(principal: Principal, context: ExecutionContext): void {
    if (principal.kind === 'machine') {
      const scopes = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]);
      if (!scopes) throw userTokenRequired();
    } else {
      this.accounts.assertTokenCurrent(principal.user, principal.claims);
      if (!principal.user.isActive) throw accountDisabled();
    }
  }
}
