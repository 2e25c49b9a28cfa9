import { HttpStatus, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error.js';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, Repository } from 'typeorm';
import { poolNotManaged } from '../auth/access-errors.js';
import { UserPools } from '../config/user-pools.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';
import { AuditEntry, type AuditAction, type ChangedValues } from './audit-entry.entity.js';
import { InvitationDto } from './dto/admin-user.dto.js';
import type { InviteUserDto } from './dto/invite-user.dto.js';
import type { PoolActionResultDto, PoolOutcomeDto } from './dto/pool-outcome.dto.js';
import { PoolGroupListDto, UserGroupsDto } from './dto/pool-group.dto.js';
import { PoolUserDto, type PoolUserPageDto, type PoolUsersQueryDto } from './dto/pool-user.dto.js';
import { PoolAdminClient, PoolAdminError } from './pool-admin.client.js';
import { cannotRemoveOwnAdmin, poolAdminProblem, poolAuditValue, poolProblemOf, unknownGroups } from './pool-admin.errors.js';

export const GROUP_CHANGE_NOTE =
  "Takes effect with the person's next token (their next sign-in, or their app's next token refresh, within the access token's lifetime); sign them out everywhere to make that now.";

function audit(actor: User, action: AuditAction, targetId: string, before: ChangedValues, after: ChangedValues): Partial<AuditEntry> {
  return { actorId: actor.id, actorSub: actor.sub, action, targetId, before, after };
}

/**
 * The pool an action names without a person (an invitation, the pool's accounts or groups): the one
 * requested, by default the admin's own; it must be one whose people the admin may manage.
 */
export interface PoolChoice {
  requested: string | undefined;
  actor: User;
  managed: readonly string[];
}

/** Runs a pool call whose failure is the route's answer (503 pool_admin_unavailable, 409 not_in_pool, …). */
async function orProblem<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw poolAdminProblem(error);
  }
}

/**
 * The pool side of people management: invitations, the pool's accounts and groups, password
 * resets, and the pool half of deactivation and erasure. Each change is audited (who, what, whom,
 * when; never a password or code).
 */
@Injectable()
export class PoolAdminService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
    private readonly usersService: UsersService,
    private readonly pool: PoolAdminClient,
    private readonly pools: UserPools,
  ) {}

  /** Creates the pool account (the pool sends the invitation), then the person's row, then their groups. */
  async invite(actor: User, request: InviteUserDto, managed: readonly string[]): Promise<InvitationDto> {
    const pool = this.chosen({ requested: request.pool, actor, managed });
    const groups = request.groups ?? [];
    if (groups.length > 0) {
      const known = new Set((await orProblem(this.pool.listGroups(pool))).map((group) => group.name));
      const unknown = groups.filter((group) => !known.has(group));
      if (unknown.length > 0) throw unknownGroups(unknown);
    }
    const account = await orProblem(
      this.pool.invite(pool, {
        username: request.username ?? request.email,
        email: request.email,
        firstName: request.firstName,
        lastName: request.lastName,
      }),
    );
    if (!account.sub) throw new ApiError(HttpStatus.BAD_GATEWAY, 'pool_unavailable', 'The user pool created the account without a sub.');
    const outcome: PoolOutcomeDto = { invitationSent: true, groups: [] };
    for (const group of groups) {
      try {
        await this.pool.addToGroup(pool, account.username, group);
        outcome.groups!.push(group);
      } catch (error) {
        outcome.error = poolProblemOf(error);
        break;
      }
    }
    const user = await this.usersService.createInvited(
      {
        pool,
        sub: account.sub,
        username: account.username,
        email: account.email,
        emailVerified: account.emailVerified,
        firstName: account.firstName,
        lastName: account.lastName,
      },
      (manager, created) =>
        manager.insert(
          AuditEntry,
          audit(
            actor,
            'user.invited',
            created.id,
            {},
            {
              email: created.email,
              username: created.username,
              groups: outcome.groups!.join(',') || null,
              ...(outcome.error && { pool: poolAuditValue('added to every group', outcome.error) }),
            },
          ),
        ),
    );
    return InvitationDto.of(user, outcome);
  }

  /** AdminCreateUser with MessageAction RESEND: a new temporary password, while the first sign-in is pending. */
  async resendInvitation(actor: User, id: string, managed: readonly string[]): Promise<PoolActionResultDto> {
    const user = await this.usersService.get(id, managed);
    const username = await orProblem(this.poolUsername(user));
    await orProblem(this.pool.resendInvitation(user.pool, username));
    await this.entries.insert(audit(actor, 'user.invitation_resent', id, {}, { invitationSent: true }));
    return { pool: { invitationSent: true }, message: 'The user pool sent the invitation again, with a new temporary password.' };
  }

  /** AdminResetUserPassword: the person's password stops working and the pool sends them a code to set a new one. */
  async resetPassword(actor: User, id: string, managed: readonly string[]): Promise<PoolActionResultDto> {
    const user = await this.usersService.get(id, managed);
    const username = await orProblem(this.poolUsername(user));
    await orProblem(this.pool.resetPassword(user.pool, username));
    await this.entries.insert(audit(actor, 'user.password_reset', id, {}, { passwordReset: true }));
    return {
      pool: { passwordReset: true },
      message: 'The user pool reset the password and sent a code: the next sign-in asks for it and a new password.',
    };
  }

  async poolUsers(query: PoolUsersQueryDto, choice: PoolChoice): Promise<PoolUserPageDto> {
    const pool = this.chosen(choice);
    const filter = query.filter
      ? ({ attribute: query.filterBy ?? (query.filter.includes('@') ? 'email' : 'username'), prefix: query.filter } as const)
      : undefined;
    const page = await this.pool
      .listAccounts(pool, { filter, limit: query.limit ?? 20, paginationToken: query.paginationToken })
      .catch((error: unknown) => {
        if (error instanceof PoolAdminError && error.failure === 'refused' && query.paginationToken) {
          throw new ApiError(
            HttpStatus.BAD_REQUEST,
            'invalid_pagination_token',
            'paginationToken is not a token of this list; start again without it.',
          );
        }
        throw poolAdminProblem(error);
      });
    const subs = page.accounts.flatMap((account) => (account.sub ? [account.sub] : []));
    const rows = subs.length > 0 ? await this.users.findBy({ pool, sub: In(subs), erasedAt: IsNull() }) : [];
    const bySub = new Map(rows.map((row) => [row.sub, row]));
    return {
      pool,
      items: page.accounts.map((account) => PoolUserDto.of(account, account.sub ? bySub.get(account.sub) : undefined)),
      paginationToken: page.paginationToken,
    };
  }

  async groups(choice: PoolChoice): Promise<PoolGroupListDto> {
    const pool = this.chosen(choice);
    const admin = new Set(this.pools.named(pool)?.adminGroups ?? []);
    const groups = await orProblem(this.pool.listGroups(pool));
    return { pool, items: groups.map((group) => ({ ...group, admin: admin.has(group.name) })) };
  }

  async groupsOf(id: string, managed: readonly string[]): Promise<UserGroupsDto> {
    const user = await this.usersService.get(id, managed);
    const groups = await orProblem(this.pool.groupsOf(user.pool, await orProblem(this.poolUsername(user))));
    return { groups, message: GROUP_CHANGE_NOTE };
  }

  async addToGroup(actor: User, id: string, group: string, managed: readonly string[]): Promise<UserGroupsDto> {
    const user = await this.usersService.get(id, managed);
    const username = await orProblem(this.poolUsername(user));
    await orProblem(this.pool.addToGroup(user.pool, username, group));
    await this.entries.insert(audit(actor, 'user.group_added', id, {}, { group }));
    return this.groupsAfterChange(user.pool, username);
  }

  async removeFromGroup(actor: User, id: string, group: string, managed: readonly string[]): Promise<UserGroupsDto> {
    const self = id.toLowerCase() === actor.id.toLowerCase();
    if (self && this.pools.named(actor.pool)?.adminGroups.includes(group)) throw cannotRemoveOwnAdmin(group);
    const user = await this.usersService.get(id, managed);
    const username = await orProblem(this.poolUsername(user));
    await orProblem(this.pool.removeFromGroup(user.pool, username, group));
    await this.entries.insert(audit(actor, 'user.group_removed', id, { group }, {}));
    return this.groupsAfterChange(user.pool, username);
  }

  /** AdminDisableUser or AdminEnableUser; what happened, never a throw (the API's own change happens regardless). */
  async setEnabled(user: User, enabled: boolean): Promise<PoolOutcomeDto> {
    const key = enabled ? 'enabled' : 'disabled';
    try {
      const username = await this.poolUsername(user);
      await (enabled ? this.pool.enable(user.pool, username) : this.pool.disable(user.pool, username));
      return { [key]: true };
    } catch (error) {
      return { [key]: false, error: poolProblemOf(error) };
    }
  }

  /** AdminDeleteUser after the API's erasure (the row keeps its sub, which finds the account), audited on its own. */
  async deleteAccount(actor: User, erased: User): Promise<PoolOutcomeDto> {
    let outcome: PoolOutcomeDto;
    try {
      await this.pool.delete(erased.pool, await this.poolUsername(erased));
      outcome = { deleted: true };
    } catch (error) {
      outcome = { deleted: false, error: poolProblemOf(error) };
    }
    await this.entries.insert(audit(actor, 'user.pool_deleted', erased.id, {}, { pool: poolAuditValue('deleted', outcome.error) }));
    return outcome;
  }

  /** The configured pool a choice names, if the admin may manage its people. */
  private chosen({ requested, actor, managed }: PoolChoice): string {
    const pool = requested ?? (managed.includes(actor.pool) ? actor.pool : (managed[0] ?? actor.pool));
    if (!this.pools.named(pool)) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'validation_failed', `pool must be one of ${this.pools.names.join(', ')}`);
    }
    if (!managed.includes(pool)) throw poolNotManaged(pool, managed);
    return pool;
  }

  /**
   * The account's pool username, found by `sub` in the person's pool (the row's username may be a
   * preferred_username). Without the right to ListUsers, the row's username is the best guess left.
   */
  private async poolUsername(user: User): Promise<string> {
    try {
      const account = await this.pool.accountBySub(user.pool, user.sub);
      if (account) return account.username;
      throw new PoolAdminError('ListUsers', 'not_found', 'UserNotFoundException', 'The user pool has no account with this sub any more.');
    } catch (error) {
      const known = user.poolUsername ?? user.username;
      if (error instanceof PoolAdminError && error.failure === 'denied' && known) return known;
      throw error;
    }
  }

  /** The person's groups after a change, when the pool lets this server read them. */
  private async groupsAfterChange(pool: string, username: string): Promise<UserGroupsDto> {
    const groups = await this.pool.groupsOf(pool, username).catch(() => null);
    return { groups, message: GROUP_CHANGE_NOTE };
  }
}
