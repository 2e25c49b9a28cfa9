import { createHash, randomBytes, randomInt } from 'node:crypto';
import { type CognitoAnswer, fail, text } from './cognito-answer.js';
import { callEmulator, type EmulatorCall } from './emulator-call.js';
import type { EmulatorState, EmulatorUser } from './emulator-state.js';
import type { Outbox } from './outbox.js';
import type { PasswordResets } from './password-resets.js';
import type { Operation } from './self-service.js';
import type { VerificationCodes } from './verification-codes.js';

export interface AdminOperationsOptions {
  state: EmulatorState;
  emulatorCall: EmulatorCall;
  outbox: Outbox;
  codes: VerificationCodes;
  resets: PasswordResets;
}

type Params = Record<string, unknown>;

/** Cognito's largest ListUsers page. */
const MAX_PAGE = 60;
const attributeOf = (user: EmulatorUser, name: string): string | undefined => user.Attributes?.find((a) => a.Name === name)?.Value;
const noUser = (): CognitoAnswer => fail('UserNotFoundException', 'User does not exist.');

/** A temporary password as Cognito makes them: every character class of the default policy. */
function temporaryPassword(): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const body = Array.from({ length: 8 }, () => letters[randomInt(letters.length)]).join('');
  return `${body}A1a!`;
}

/** Where an invitation goes: the first desired medium the user has an address for (without a wish, a phone, else an email). */
function invitationAddress(user: { Attributes?: Array<{ Name?: string; Value?: string }> }, mediums: unknown): string | undefined {
  const wanted = Array.isArray(mediums) && mediums.length > 0 ? (mediums as unknown[]) : ['SMS', 'EMAIL'];
  for (const medium of wanted) {
    const name = medium === 'EMAIL' ? 'email' : medium === 'SMS' ? 'phone_number' : '';
    const value = user.Attributes?.find((attribute) => attribute.Name === name)?.Value;
    if (value) return value;
  }
  return undefined;
}

/** An opaque ListUsers token: the next offset, tied to the filter it pages (another filter's token is refused). */
function pageToken(offset: number, filter: string): string {
  const tag = createHash('sha256').update(filter).digest('base64url').slice(0, 12);
  return Buffer.from(JSON.stringify({ o: offset, f: tag, n: randomBytes(4).toString('hex') })).toString('base64url');
}

function offsetOf(token: string, filter: string): number | undefined {
  try {
    const { o, f } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o?: unknown; f?: unknown };
    const tag = createHash('sha256').update(filter).digest('base64url').slice(0, 12);
    return typeof o === 'number' && Number.isInteger(o) && o > 0 && f === tag ? o : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The admin calls as Cognito answers them where cognito-local does not: invitations (and their
 * resending) with the temporary password in the outbox, the admin password reset (RESET_REQUIRED,
 * its code in the outbox), ListUsers with Limit and PaginationToken, and UserNotFoundException for a
 * user that does not exist in the group calls and AdminEnableUser (AdminDisableUser and
 * AdminDeleteUser revoke sessions too: operations/admin-users.ts).
 */
export function adminOperations(options: AdminOperationsOptions): Record<string, Operation> {
  const { state, emulatorCall, outbox, codes, resets } = options;
  const emulator = (target: string, body: object): Promise<CognitoAnswer> => callEmulator(emulatorCall, target, body);

  /** The admin calls that act on an existing user: the emulator answers them, once the user is known to exist. */
  const onExistingUser =
    (target: string): Operation =>
    (params) => {
      if (!state.user(text(params.UserPoolId), text(params.Username))) return noUser();
      return emulator(target, params);
    };

  const invite = async (params: Params): Promise<CognitoAnswer> => {
    const suppress = params.MessageAction === 'SUPPRESS';
    const wanted = { Attributes: Array.isArray(params.UserAttributes) ? (params.UserAttributes as EmulatorUser['Attributes']) : [] };
    const address = suppress ? undefined : invitationAddress(wanted, params.DesiredDeliveryMediums);
    if (!suppress && !address) return fail('InvalidParameterException', 'User has no attribute matching desired delivery mediums');
    const password = typeof params.TemporaryPassword === 'string' ? params.TemporaryPassword : temporaryPassword();
    // The emulator would print its own welcome message, and create the user before finding it has no address.
    const created = await emulator('AdminCreateUser', { ...params, MessageAction: 'SUPPRESS', TemporaryPassword: password });
    if (created.status !== 200 || suppress) return created;
    const username = text((created.body as { User?: { Username?: unknown } }).User?.Username);
    outbox.send({ username, destination: address!, kind: 'invitation', code: password });
    return created;
  };

  const resend = async (params: Params): Promise<CognitoAnswer> => {
    const userPoolId = text(params.UserPoolId);
    const user = state.user(userPoolId, text(params.Username));
    if (!user) return noUser();
    if (user.UserStatus !== 'FORCE_CHANGE_PASSWORD')
      return fail('UnsupportedUserStateException', 'User status is not FORCE_CHANGE_PASSWORD.');
    const address = invitationAddress(user, params.DesiredDeliveryMediums);
    if (!address) return fail('InvalidParameterException', 'User has no attribute matching desired delivery mediums');
    const password = typeof params.TemporaryPassword === 'string' ? params.TemporaryPassword : temporaryPassword();
    const set = await emulator('AdminSetUserPassword', {
      UserPoolId: userPoolId,
      Username: user.Username,
      Password: password,
      Permanent: false,
    });
    if (set.status !== 200) return set;
    outbox.send({ username: user.Username, destination: address, kind: 'invitation', code: password });
    const fresh = await emulator('AdminGetUser', { UserPoolId: userPoolId, Username: user.Username });
    if (fresh.status !== 200) return fresh;
    const { UserAttributes, ...rest } = fresh.body as Record<string, unknown>;
    return { status: 200, body: { User: { ...rest, Attributes: UserAttributes } } };
  };

  return {
    AdminCreateUser: (params) => (params.MessageAction === 'RESEND' ? resend(params) : invite(params)),

    AdminResetUserPassword(params) {
      const userPoolId = text(params.UserPoolId);
      const user = state.user(userPoolId, text(params.Username));
      if (!user) return noUser();
      if (user.UserStatus === 'FORCE_CHANGE_PASSWORD')
        return fail('NotAuthorizedException', 'User password cannot be reset in the current state.');
      const email = attributeOf(user, 'email_verified') === 'true' ? attributeOf(user, 'email') : undefined;
      if (!email) {
        return fail(
          'InvalidParameterException',
          'Cannot reset password for the user as there is no registered/verified email or phone_number',
        );
      }
      const issued = codes.issue(userPoolId, user.Username, 'forgot-password');
      if ('status' in issued) return issued;
      // The password stays as it was, and proves who signs in: the right one then answers
      // PasswordResetRequiredException (operations/sign-in.ts), until the code sets a new one.
      resets.require(userPoolId, user);
      outbox.send({ username: user.Username, destination: email, kind: 'forgot-password', code: issued.code });
      return { status: 200, body: {} };
    },

    async ListUsers(params) {
      const filter = text(params.Filter);
      const limit = params.Limit === undefined ? MAX_PAGE : params.Limit;
      if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
        return fail(
          'InvalidParameterException',
          `1 validation error detected: Value '${JSON.stringify(limit)}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 60`,
        );
      }
      let offset = 0;
      if (params.PaginationToken !== undefined) {
        const found = offsetOf(text(params.PaginationToken), filter);
        if (found === undefined) return fail('InvalidParameterException', 'Invalid pagination token.');
        offset = found;
      }
      const all = await emulator('ListUsers', { UserPoolId: params.UserPoolId, ...(filter && { Filter: filter }) });
      if (all.status !== 200) return all;
      const users = ((all.body as { Users?: unknown[] }).Users ?? []) as EmulatorUser[];
      // A stable order, so that pages never overlap or skip.
      users.sort((a, b) => text(a.Username).localeCompare(text(b.Username)));
      const page = users.slice(offset, offset + limit).map((user) => resets.withStatus(text(params.UserPoolId), user, user));
      const next = offset + limit < users.length ? pageToken(offset + limit, filter) : undefined;
      return { status: 200, body: { Users: page, ...(next && { PaginationToken: next }) } };
    },

    async AdminGetUser(params) {
      const answer = await emulator('AdminGetUser', params);
      if (answer.status !== 200) return answer;
      const userPoolId = text(params.UserPoolId);
      return {
        status: 200,
        body: resets.withStatus(userPoolId, state.user(userPoolId, text(params.Username)), answer.body),
      };
    },

    // A password set by an administrator ends a pending reset (CONFIRMED, or FORCE_CHANGE_PASSWORD if temporary).
    async AdminSetUserPassword(params) {
      const answer = await emulator('AdminSetUserPassword', params);
      const userPoolId = text(params.UserPoolId);
      if (answer.status === 200) resets.clear(userPoolId, state.user(userPoolId, text(params.Username)));
      return answer;
    },

    AdminAddUserToGroup: onExistingUser('AdminAddUserToGroup'),
    AdminRemoveUserFromGroup: onExistingUser('AdminRemoveUserFromGroup'),
    AdminListGroupsForUser: onExistingUser('AdminListGroupsForUser'),
    AdminEnableUser: onExistingUser('AdminEnableUser'),
  };
}
