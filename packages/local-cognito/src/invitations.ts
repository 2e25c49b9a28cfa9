import { type CognitoAnswer, fail, text } from './cognito-answer.js';
import { callEmulator, type EmulatorCall } from './emulator-call.js';
import type { EmulatorState, EmulatorUser } from './emulator-state.js';
import type { Outbox } from './outbox.js';

const attributeOf = (user: EmulatorUser, name: string): string | undefined => user.Attributes?.find((a) => a.Name === name)?.Value;

/**
 * AdminCreateUser's invitation: the emulator creates the user and its temporary password; the
 * invitation (the temporary password) goes to the outbox, and MessageAction=RESEND sends it again.
 */
export function adminCreateUser(
  state: EmulatorState,
  emulatorCall: EmulatorCall,
  outbox: Outbox,
): (params: Record<string, unknown>) => Promise<CognitoAnswer> {
  const invite = (user: EmulatorUser): void => {
    if (!user.Password) return;
    outbox.send({
      username: user.Username,
      destination: attributeOf(user, 'email') ?? attributeOf(user, 'phone_number') ?? '',
      kind: 'invitation',
      code: user.Password,
    });
  };

  return async (params) => {
    const userPoolId = text(params.UserPoolId);
    if (params.MessageAction === 'RESEND') {
      const user = state.user(userPoolId, text(params.Username));
      if (!user) return fail('UserNotFoundException', 'User does not exist.');
      if (user.UserStatus !== 'FORCE_CHANGE_PASSWORD')
        return fail('UnsupportedUserStateException', `Resend not possible. ${user.Username} status is not FORCE_CHANGE_PASSWORD`);
      invite(user);
      const { Username, Attributes, UserStatus, Enabled } = user;
      return { status: 200, body: { User: { Username, Attributes, UserStatus, Enabled } } };
    }
    const created = await callEmulator(emulatorCall, 'AdminCreateUser', params);
    if (created.status !== 200 || params.MessageAction === 'SUPPRESS') return created;
    const username = text((created.body as { User?: { Username?: unknown } }).User?.Username);
    const user = state.user(userPoolId, username);
    if (user) invite(user);
    return created;
  };
}
