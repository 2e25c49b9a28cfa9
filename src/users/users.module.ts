import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CognitoProfileClient } from './cognito-profile.client.js';
import { MeController } from './me.controller.js';
import { User } from './user.entity.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [MeController],
  providers: [UsersService, CognitoProfileClient],
  exports: [UsersService],
})
export class UsersModule {}
