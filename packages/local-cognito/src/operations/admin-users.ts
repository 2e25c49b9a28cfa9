import { text } from '../cognito-answer.js';
import type { Operation } from './context.js';
import { emulatorAnswer } from './emulator-answer.js';

/** Disabling or deleting a user also revokes every token it holds, as Cognito does. */
const revokingAfter =
  (target: string): Operation =>
  async (context, params) => {
    const userPoolId = text(params.UserPoolId);
    const sub = context.state.user(userPoolId, text(params.Username))?.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    const answer = emulatorAnswer(target, await context.emulator(target, params));
    if (answer.status === 200 && sub) context.sessions.revokeUser(userPoolId, sub);
    return answer;
  };

export const adminUserOperations: Record<string, Operation> = {
  AdminDisableUser: revokingAfter('AdminDisableUser'),
  AdminDeleteUser: revokingAfter('AdminDeleteUser'),
};
