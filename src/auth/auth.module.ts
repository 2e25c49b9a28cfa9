import { DynamicModule, Module, type Type } from '@nestjs/common';
import { CognitoJwtStrategy } from './cognito-jwt.strategy.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { PoolKeys } from './pool-keys.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

@Module({})
export class AuthModule {
  /**
   * `accounts` is the module that provides UserAccounts (the users module), so auth/ never imports
   * it. Global, so that the health checks see the same PoolKeys.
   */
  static forRoot(accounts: Type): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      imports: [accounts],
      providers: [PoolKeys, CognitoJwtStrategy, VerifiedTokenCache, JwtAuthGuard],
      // JwtAuthGuard: the app module makes it the first global guard.
      exports: [PoolKeys, JwtAuthGuard],
    };
  }
}
