import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { UsersModule } from '../users/users.module.js';
import { CognitoJwtStrategy } from './cognito-jwt.strategy.js';
import { JwksKeyProvider } from './jwks-key.provider.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { VerifiedTokenCache } from './verified-token.cache.js';

@Module({
  imports: [PassportModule.register({ session: false }), UsersModule],
  providers: [JwksKeyProvider, CognitoJwtStrategy, VerifiedTokenCache, JwtAuthGuard, { provide: APP_GUARD, useExisting: JwtAuthGuard }],
  exports: [JwksKeyProvider],
})
export class AuthModule {}
