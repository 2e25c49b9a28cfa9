import { type CognitoAnswer, fail } from './cognito-answer.js';

/** One call to the emulator's JSON API (`AWSCognitoIdentityProviderService.<target>`). */
export type EmulatorCall = (target: string, body: object) => Promise<{ status: number; json: Record<string, unknown> }>;

/** The emulator's response as a Cognito answer: its exception name without the `CognitoLocal#` prefix. */
export async function callEmulator(call: EmulatorCall, target: string, body: object): Promise<CognitoAnswer> {
  const { status, json } = await call(target, body);
  if (status === 200) return { status: 200, body: json };
  const named = json.__type ?? json.code;
  const type = (typeof named === 'string' ? named : 'InternalErrorException').split('#').pop()!;
  return fail(type, typeof json.message === 'string' ? json.message : `The emulator refused ${target}`);
}
