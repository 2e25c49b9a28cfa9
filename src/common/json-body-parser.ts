import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error.js';

/** Our bodies are flat objects; a few levels leave room for clients that wrap them. */
export const MAX_JSON_DEPTH = 16;

/**
 * True when arrays/objects nest deeper than `limit`. One pass over the text, before JSON.parse:
 * thousands of `[` overflow the stack of whatever walks the parsed value (class-transformer did).
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i++; // backslash: skip the escaped character
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x7b || char === 0x5b) {
      if (++depth > limit) return true;
    } else if (char === 0x7d || char === 0x5d) depth--;
  }
  return false;
}

function tooDeep(): ApiError {
  return new ApiError(400, 'validation_failed', `The JSON body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep.`);
}

/**
 * Fastify's own JSON parser (which refuses `__proto__` and `constructor.prototype` keys), behind a
 * depth check, for `application/json` bodies.
 */
export function useJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepthExceeds(body as string, MAX_JSON_DEPTH)) return done(tooDeep(), undefined);
    void parse(request, body as string, done);
  });
}
