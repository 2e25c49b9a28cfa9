import { DynamicModule, Module, type Type } from '@nestjs/common';
import { CognitoJwtStrategy } from './cognito-jwt.strategy.js';
import { JwksKeyProvider } from './jwks-key.provider.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

@Module({})
export class AuthModule {
  /**
   * `accounts` is the module that provides UserAccounts (the users module), so auth/ never imports
   * it. Global, so that the health checks see the same JwksKeyProvider.
   */
  static forRoot(accounts: Type): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [accounts],
      providers: [JwksKeyProvider, CognitoJwtStrategy, VerifiedTokenCache, JwtAuthGuard],
      // JwtAuthGuard: the app module makes it the first global guard.
      exports: [JwksKeyProvider, JwtAuthGuard],
    };
  }
}
