import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';

/**
 * Node keeps only the first of several Authorization headers and drops the rest, so a request with
 * two would pass with whichever came first. This hook hands all of them on as an array, which the
 * token reader refuses (401): exactly one header, exactly one token.
 */
export function keepEveryAuthorization(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const raw = request.raw.rawHeaders;
  let values: string[] | undefined;
  let first: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i].length !== 13 || raw[i].toLowerCase() !== 'authorization') continue;
    if (first === undefined) first = raw[i + 1];
    else (values ??= [first]).push(raw[i + 1]);
  }
  if (values) (request.headers as Record<string, unknown>).authorization = values;
  done();
}
