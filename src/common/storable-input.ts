import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { ApiError } from './api-error.js';

/** NUL, which PostgreSQL text cannot hold, and UTF-16 surrogates that pair with nothing (no UTF-8 for them). */
const UNSTORABLE = /[\0\p{Cs}]/u;

/**
 * Field names that every JavaScript object already has: a validator looking them up in a plain
 * object finds the inherited member and takes the field as known. No field of ours is named so.
 */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Parsed bodies are depth-limited by the JSON parser; this bound only keeps the walk itself finite. */
const WALK_LIMIT = 64;

function problemIn(value: unknown, path: string, depth: number): string | undefined {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? `${path} holds a NUL character or an unpaired surrogate` : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (depth > WALK_LIMIT) return `${path} nests too deeply`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = problemIn(value[i], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (UNSTORABLE.test(key)) return `${path} has a field name with a NUL character or an unpaired surrogate`;
    if (INHERITED_NAMES.has(key)) return `property ${key} should not exist`;
    const problem = problemIn((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * A preValidation hook for every route: text that PostgreSQL cannot store, and field names that
 * shadow JavaScript's own members, are a 400 before any validator or query sees them.
 */
export function refuseUnstorableInput(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const problem = problemIn(request.query, 'query', 0) ?? problemIn(request.params, 'path', 0) ?? problemIn(request.body, 'body', 0);
  done(problem ? new ApiError(400, 'validation_failed', problem) : undefined);
}
