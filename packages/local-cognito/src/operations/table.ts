import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { type CognitoAnswer, fail } from '../cognito-answer.js';
import { accessTokenRefusal } from './access-token.js';
import { adminUserOperations } from './admin-users.js';
import { clientOperations } from './clients.js';
import type { Operation, OperationContext, Params } from './context.js';
import { emulatorAnswer } from './emulator-answer.js';
import { passkeyOperations } from './passkeys.js';
import { PreTokenHookError } from '../pre-token-hook.js';
import { refreshOperations } from './refresh.js';
import { signInOperations } from './sign-in.js';
import { signOutOperations } from './sign-out.js';

/**
 * The operations of Cognito's JSON API that the front answers itself, by name: one family a file.
 * Everything else goes to the emulator. Add a family by adding its file's record here.
 */
export const OPERATIONS: Record<string, Operation> = {
  ...signInOperations,
  ...refreshOperations,
  ...signOutOperations,
  ...adminUserOperations,
  ...clientOperations,
  ...passkeyOperations,
};

/** The operations cognito-local implements: one file each in its lib/targets (camelCase names). */
const EMULATOR_TARGETS = new Set(
  readdirSync(join(dirname(createRequire(import.meta.url).resolve('cognito-local/package.json')), 'lib', 'targets'))
    .filter((file) => file.endsWith('.js'))
    .map((file) => file.charAt(0).toUpperCase() + file.slice(1, -'.js'.length)),
);

/** Answers one call of the JSON API (`X-Amz-Target: AWSCognitoIdentityProviderService.<target>`). */
export async function answerOperation(
  context: OperationContext,
  target: string,
  params: Params,
  /** Operations of families built with options of their own (self-service: sign-up, reset, attributes), by name. */
  more: Record<string, (params: Params) => CognitoAnswer | Promise<CognitoAnswer>> = {},
): Promise<CognitoAnswer> {
  const own = Object.hasOwn(more, target) ? more[target] : undefined;
  if (!own && !Object.hasOwn(OPERATIONS, target) && !EMULATOR_TARGETS.has(target)) {
    return fail('UnsupportedOperationException', `The local Cognito pool does not support ${target}.`);
  }
  // Every self-service operation first checks its access token as Cognito does (revoked, disabled, deleted).
  const refusal = accessTokenRefusal(context, params.AccessToken);
  if (refusal) return refusal;
  try {
    if (own) return await own(params);
    const operation = Object.hasOwn(OPERATIONS, target) ? OPERATIONS[target] : undefined;
    const answer = operation ? await operation(context, params) : undefined;
    return answer ?? emulatorAnswer(target, await context.emulator(target, params));
  } catch (error) {
    // A failing pre-token-generation hook fails the sign-in or refresh as a failing Lambda trigger does.
    if (error instanceof PreTokenHookError) return fail('UserLambdaValidationException', error.message);
    throw error;
  }
}
