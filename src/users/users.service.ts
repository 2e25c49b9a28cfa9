import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { Repository } from 'typeorm';
import { CognitoAccessClaims } from '../identity/cognito-claims.js';
import { AppConfig } from '../config/app-config.js';
import { CognitoProfileClient, type PoolProfile } from './cognito-profile.client.js';
import { UpdateProfileDto } from './dto/update-profile.dto.js';
import { User } from './user.entity.js';

/**
 * How long a user row read for one request serves the next ones. Short, so that a deactivation
 * made by another instance is honoured within seconds; long enough to take reads off the hot path.
 */
export const USER_CACHE_TTL_MS = 2000;

@Injectable()
export class UsersService {
  private readonly logger = new Logger(UsersService.name);
  private readonly bySub = new LRUCache<string, User>({ max: 10_000, ttl: USER_CACHE_TTL_MS });
  private readonly loading = new Map<string, Promise<User>>();
  /** Subs whose profile fill was tried recently; an entry expires when a retry is due. */
  private readonly recentFillAttempts: LRUCache<string, true>;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly pool: CognitoProfileClient,
    config: AppConfig,
  ) {
    this.recentFillAttempts = new LRUCache({ max: 10_000, ttl: config.profileRetryMs });
  }

  /**
   * The caller's row, created on first sight of their `sub`. Concurrent first requests share one
   * load here, and the insert is idempotent across instances (ON CONFLICT DO NOTHING on `sub`).
   */
  resolve(claims: CognitoAccessClaims, accessToken: string): Promise<User> | User {
    const cached = this.bySub.get(claims.sub);
    if (cached) return cached;
    let pending = this.loading.get(claims.sub);
    if (!pending) {
      pending = this.load(claims, accessToken).finally(() => this.loading.delete(claims.sub));
      this.loading.set(claims.sub, pending);
    }
    return pending;
  }

  async updateProfile(user: User, changes: UpdateProfileDto): Promise<User> {
    if (Object.keys(changes).length > 0) {
      await this.users.update({ id: user.id }, changes);
    }
    return this.reload(user.id);
  }

  /** Drops a cached row so the next request reads the database (after an edit on this instance). */
  forget(sub: string): void {
    this.bySub.delete(sub);
  }

  private async reload(id: string): Promise<User> {
    const fresh = await this.users.findOneByOrFail({ id });
    this.bySub.set(fresh.sub, fresh);
    return fresh;
  }

  private async load(claims: CognitoAccessClaims, accessToken: string): Promise<User> {
    let user = await this.users.findOneBy({ sub: claims.sub });
    if (!user) {
      user = await this.create(claims, accessToken);
    } else if (!user.profileSyncedAt && !this.recentFillAttempts.has(user.sub)) {
      // A retry must not slow the request down: it runs in the background.
      void this.fillFromPool(user, accessToken).then((filled) => this.bySub.set(filled.sub, filled));
    }
    this.bySub.set(user.sub, user);
    return user;
  }

  /**
   * First sight: the pool's attributes are read first, then the row is written whole in one
   * statement, so that a failure at any point (pool, database, process) leaves no row or a complete
   * one. If the pool cannot be read, the row is created without them and filled in later.
   */
  private async create(claims: CognitoAccessClaims, accessToken: string): Promise<User> {
    const profile = await this.readPoolProfile(claims.sub, accessToken);
    await this.users
      .createQueryBuilder()
      .insert()
      .values({
        sub: claims.sub,
        username: profile?.username || claims.username || null,
        ...(profile && {
          email: profile.email,
          emailVerified: profile.emailVerified,
          firstName: profile.firstName,
          lastName: profile.lastName,
          profileSyncedAt: () => 'now()',
        }),
      })
      .orIgnore()
      .execute();
    return this.users.findOneByOrFail({ sub: claims.sub });
  }

  private async readPoolProfile(sub: string, accessToken: string): Promise<PoolProfile | null> {
    this.recentFillAttempts.set(sub, true);
    try {
      const profile = await this.pool.getProfile(accessToken);
      this.recentFillAttempts.delete(sub);
      return profile;
    } catch (error) {
      this.logger.warn(`Could not read the pool profile of ${sub}; will retry later: ${String(error)}`);
      return null;
    }
  }

  /** Copies the pool's attributes into a row created without them; a failure leaves the row as it was. */
  private async fillFromPool(user: User, accessToken: string): Promise<User> {
    const profile = await this.readPoolProfile(user.sub, accessToken);
    if (!profile) return user;
    try {
      await this.users
        .createQueryBuilder()
        .update()
        .set({
          username: profile.username || user.username,
          email: profile.email,
          emailVerified: profile.emailVerified,
          // Never overwrite names the user has already edited here.
          firstName: () => 'COALESCE(first_name, :firstName)',
          lastName: () => 'COALESCE(last_name, :lastName)',
          profileSyncedAt: () => 'now()',
        })
        .where('id = :id AND profile_synced_at IS NULL', { id: user.id })
        .setParameters({ firstName: profile.firstName, lastName: profile.lastName })
        .execute();
      return await this.users.findOneByOrFail({ id: user.id });
    } catch (error) {
      this.recentFillAttempts.set(user.sub, true);
      this.logger.warn(`Could not save the pool profile of ${user.sub}; will retry later: ${String(error)}`);
      return user;
    }
  }
}
