import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UserAccounts } from '../identity/user-accounts.js';
import { CognitoProfileClient } from './cognito-profile.client.js';
import { LastSeenWriter } from './last-seen.writer.js';
import { MeController } from './me.controller.js';
import { RevokedSessions } from './revoked-sessions.js';
import { SearchIndexUpkeep } from './search-index.upkeep.js';
import { UserChangesListener } from './user-changes.listener.js';
import { UserCache } from './user.cache.js';
import { User } from './user.entity.js';
import { UserLookupService } from './user-lookup.service.js';
import { UserRows } from './user-rows.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [TypeOrmModule.forFeature([User])],
  controllers: [MeController, UsersController],
  providers: [
    UsersService,
    UserCache,
    UserRows,
    LastSeenWriter,
    SearchIndexUpkeep,
    UserChangesListener,
    RevokedSessions,
    UserLookupService,
    CognitoProfileClient,
    { provide: UserAccounts, useExisting: UsersService },
  ],
  exports: [UsersService, UserAccounts, CognitoProfileClient, UserChangesListener, RevokedSessions],
})
export class UsersModule {}
