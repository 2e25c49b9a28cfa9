import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CognitoProfileClient } from './cognito-profile.client.js';
import { MeController } from './me.controller.js';
import { UserChangesListener } from './user-changes.listener.js';
import { UserCache } from './user.cache.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [MeController],
  providers: [UsersService, UserCache, UserChangesListener, CognitoProfileClient],
  exports: [UsersService, CognitoProfileClient],
})
export class UsersModule {}
