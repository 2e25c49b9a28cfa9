import { type RefreshTokenRotation, rotationProblem } from '../client-settings.js';
import { fail, text } from '../cognito-answer.js';
import type { Operation, OperationContext } from './context.js';
import { emulatorAnswer } from './emulator-answer.js';

const DISABLED: RefreshTokenRotation = { Feature: 'DISABLED', RetryGracePeriodSeconds: 0 };

/** The emulator keeps the client; the front keeps what the emulator drops (RefreshTokenRotation) and adds it to the answer. */
const withRotation =
  (target: 'CreateUserPoolClient' | 'UpdateUserPoolClient'): Operation =>
  async (context, params) => {
    const { RefreshTokenRotation: rotation, ...rest } = params;
    const problem = rotation === undefined ? undefined : rotationProblem(rotation);
    if (problem) return fail('InvalidParameterException', problem);
    const answer = emulatorAnswer(target, await context.emulator(target, rest));
    if (answer.status !== 200) return answer;
    const client = (answer.body as { UserPoolClient?: Record<string, unknown> }).UserPoolClient ?? {};
    const clientId = text(client.ClientId) || text(params.ClientId);
    if (rotation !== undefined) context.clients.setRotation(clientId, rotation as RefreshTokenRotation);
    return described(context, clientId, answer.body);
  };

function described(context: OperationContext, clientId: string, body: object) {
  const client = (body as { UserPoolClient?: Record<string, unknown> }).UserPoolClient;
  if (!client) return { status: 200 as const, body };
  return {
    status: 200 as const,
    body: { ...body, UserPoolClient: { ...client, RefreshTokenRotation: context.clients.rotationOf(clientId) ?? DISABLED } },
  };
}

const describeUserPoolClient: Operation = async (context, params) => {
  const answer = emulatorAnswer('DescribeUserPoolClient', await context.emulator('DescribeUserPoolClient', params));
  return answer.status === 200 ? described(context, text(params.ClientId), answer.body) : answer;
};

export const clientOperations: Record<string, Operation> = {
  CreateUserPoolClient: withRotation('CreateUserPoolClient'),
  UpdateUserPoolClient: withRotation('UpdateUserPoolClient'),
  DescribeUserPoolClient: describeUserPoolClient,
};
