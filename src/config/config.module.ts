import { DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config.js';
import { UserPools } from './user-pools.js';

/** Provides the configuration validated at start-up (see load-config.ts), and its pools, to every module. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: UserPools, useValue: new UserPools(config) },
      ],
      exports: [AppConfig, UserPools],
    };
  }
}
