// The page's view of the API, taken from the server's own DTOs (type-only imports: nothing of the
// server ends up in the bundle) so that a change of shape fails the type check here too.
import type { ApiErrorBody } from '../../common/api-error.js';
import type { ProfileDto } from '../../users/dto/profile.dto.js';
import type { AdminPageSettings, SignInSettings } from '../dto/admin-page-settings.dto.js';
import type { AdminUpdateUserDto } from '../dto/admin-update-user.dto.js';
import type { AdminUserChangeDto, AdminUserDto, InvitationDto } from '../dto/admin-user.dto.js';
import type { InviteUserDto } from '../dto/invite-user.dto.js';
import type { EraseResultDto, PoolActionResultDto, PoolOutcomeDto } from '../dto/pool-outcome.dto.js';
import type { PoolAccessDto, PoolGroupListDto, UserGroupsDto } from '../dto/pool-group.dto.js';
import type { PoolUserDto, PoolUserPageDto } from '../dto/pool-user.dto.js';
import type { AuditEntryDto, AuditPageDto } from '../dto/audit-entry.dto.js';
import type { UserPageDto } from '../dto/user-page.dto.js';

/** What JSON.parse gives back for a DTO: dates arrive as ISO strings. */
export type Json<T> = T extends Date
  ? string
  : T extends Array<infer U>
    ? Array<Json<U>>
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T;

export type Settings = AdminPageSettings;
export type SignIn = SignInSettings;
export type Profile = Json<ProfileDto>;
export type AdminUser = Json<AdminUserDto>;
export type UserPage = Json<UserPageDto>;
export type AuditEntry = Json<AuditEntryDto>;
export type AuditPage = Json<AuditPageDto>;
export type UserChanges = Omit<AdminUpdateUserDto, never>;
export type ErrorBody = ApiErrorBody;
export type AdminUserChange = Json<AdminUserChangeDto>;
export type Invitation = Json<InvitationDto>;
export type InviteRequest = InviteUserDto;
export type PoolOutcome = Json<PoolOutcomeDto>;
export type PoolActionResult = Json<PoolActionResultDto>;
export type EraseResult = Json<EraseResultDto>;
export type PoolAccess = Json<PoolAccessDto>;
export type PoolGroupList = Json<PoolGroupListDto>;
export type UserGroups = Json<UserGroupsDto>;
export type PoolUser = Json<PoolUserDto>;
export type PoolUserPage = Json<PoolUserPageDto>;
