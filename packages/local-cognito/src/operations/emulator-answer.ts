import { type CognitoAnswer, fail } from '../cognito-answer.js';
import type { EmulatorResponse } from './context.js';

/** Cognito's exception name from the emulator's error body (`__type` or `code`, maybe prefixed `CognitoLocal#`). */
export function errorType(json: Record<string, unknown>): string {
  const type = json.__type ?? json.code;
  return typeof type === 'string' ? type.split('#').pop()! : 'InternalErrorException';
}

/**
 * The emulator's answer as Cognito's JSON API gives it, never a 5xx: what cognito-local does not
 * implement (its HTTP 500 `CognitoLocal#Unsupported`) is a 400 naming the operation.
 */
export function emulatorAnswer(target: string, { status, json }: EmulatorResponse): CognitoAnswer {
  if (status === 200) return { status: 200, body: json };
  const message = typeof json.message === 'string' ? json.message : '';
  if (status < 500) return fail(errorType(json), message || `${target} failed`);
  if (errorType(json) === 'Unsupported') {
    return fail(
      'UnsupportedOperationException',
      `The local Cognito pool does not support ${target}: ${message.replace(/^Cognito Local unsupported feature: /, '')}`,
    );
  }
  return fail('InvalidParameterException', `The local Cognito pool could not answer ${target}${message ? `: ${message}` : ''}`);
}
