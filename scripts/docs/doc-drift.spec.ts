import { Env, envNamesRead, envNamesReadBy, errorCodes, notAssigned, notMentioned, tableNames, tableRows } from './doc-drift.js';

const names = (found: { name: string }[]) => found.map((f) => f.name).sort();

describe('envNamesRead', () => {
  it('finds env.X, process.env.X, env["X"] and f(env, "X"), and no other upper-case text', () => {
    const text = `
      const host = env.HOST?.trim();
      const node = process.env.NODE_ENV;
      const bracket = env['JWKS_TIMEOUT_MS'];
      const dynamic = env[name];
      const port = localPort(env, 'LOCAL_COGNITO_PORT', 9229);
      const notEnv = format('NOT_A_VARIABLE');
      // COGNITO_IN_A_COMMENT
      type Form = 'ORIGINAL' | 'UPDATED';
      problems.push(\`COGNITO_REGION must be a region (got "\${region}")\`);
    `;
    expect(names(envNamesRead({ path: 'load-config.ts', text }))).toEqual(['HOST', 'JWKS_TIMEOUT_MS', 'LOCAL_COGNITO_PORT', 'NODE_ENV']);
  });
});

describe('envNamesReadBy', () => {
  // Reads the way configuration code does: through helpers, from tables, by built names, some only beside others.
  const load = (env: Env) => {
    const integer = (name: string) => Number(env[name] ?? 0);
    integer('PORT');
    for (const suffix of ['REGION', 'USER_POOL_ID']) void env[`COGNITO_${suffix}`];
    if (env.METRICS_PORT) void env.METRICS_HOST;
    if (env.NODE_ENV === 'production') void ('HTTPS_ONLY' in env);
    for (const pool of (env.COGNITO_POOLS ?? '').split(',').filter(Boolean)) void env[`COGNITO_${pool.toUpperCase()}_REGION`];
    throw new Error('Invalid configuration');
  };

  it('finds every variable read, also those read only beside another, in production, or under a built name', () => {
    expect(names(envNamesReadBy(load, 'scripts/docs/'))).toEqual([
      'COGNITO_<NAME>_REGION',
      'COGNITO_POOLS',
      'COGNITO_REGION',
      'COGNITO_USER_POOL_ID',
      'HTTPS_ONLY',
      'METRICS_HOST',
      'METRICS_PORT',
      'NODE_ENV',
      'PORT',
    ]);
  });

  it('says where each was read', () => {
    const port = envNamesReadBy(load, 'scripts/docs/').find((found) => found.name === 'PORT');
    expect(port?.where).toMatch(/^scripts\/docs\/doc-drift\.spec\.ts:\d+$/);
  });

  it('takes a built name as documented in its placeholder form or with any name in it', () => {
    const built = envNamesReadBy(load, 'scripts/docs/').find((found) => found.name === 'COGNITO_<NAME>_REGION')!;
    expect(notMentioned('Each further pool: `COGNITO_<NAME>_REGION`.', [built])).toEqual([]);
    expect(notMentioned('e.g. COGNITO_STAFF_REGION=us-east-1', [built])).toEqual([]);
    expect(notMentioned('COGNITO_REGION and COGNITO_REPLICA_REGIONS only', [built])).toEqual([built]);
    expect(notAssigned('# COGNITO_STAFF_REGION=us-east-1\n', [built])).toEqual([]);
    expect(notAssigned('# COGNITO_REGION=us-east-1\n', [built])).toEqual([built]);
  });
});

describe('notMentioned, notAssigned and tableNames', () => {
  const found = (name: string) => ({ name, where: 'x.ts:1' });

  it('matches whole names only', () => {
    expect(names(notMentioned('`COGNITO_ENDPOINT_URL` and PORTS', [found('COGNITO_ENDPOINT'), found('PORT')]))).toEqual([
      'COGNITO_ENDPOINT',
      'PORT',
    ]);
    expect(notMentioned('| `PORT` | default 8000 |', [found('PORT')])).toEqual([]);
  });

  it('takes NAME= lines, commented out or not, and nothing else', () => {
    const env = 'PORT=8000\n#   HOST=0.0.0.0\n# LOG_LEVEL is described here\n';
    expect(names(notAssigned(env, [found('PORT'), found('HOST'), found('LOG_LEVEL')]))).toEqual(['LOG_LEVEL']);
  });

  it("reads the backticked names of one column of a section's tables", () => {
    const markdown = [
      '# Page',
      '| `OUTSIDE` | before the section |',
      '## Every code',
      'Text with `not_a_row`.',
      '| status | code | meaning |',
      '| --- | --- | --- |',
      '| 401 | `token_expired` | `exp` is past |',
      '| 503 | `not_ready`, `shutting_down` | health |',
      '### A subsection of it',
      '| 404 | `not_found` | |',
      '## Next section',
      '| 500 | `after_it` | |',
    ].join('\n');
    expect(tableNames(markdown, '## Every code', 1)).toEqual(['token_expired', 'not_ready', 'shutting_down', 'not_found']);
    expect(tableNames(markdown, '## Missing')).toBeUndefined();
    expect(tableRows(markdown, '## Every code')?.[1]).toEqual(['401', '`token_expired`', '`exp` is past']);
  });
});

describe('errorCodes', () => {
  const apiError = {
    path: 'api-error.ts',
    text: `
      export class ApiError extends HttpException {
        constructor(status: HttpStatus, readonly code: string, message: string) { super(message, status); }
      }
      export function notFound(message: string) { return new ApiError(404, 'not_found', message); }
    `,
  };

  const tokens = {
    path: 'token-errors.ts',
    text: `
        export type TokenErrorCode = 'token_missing' | 'token_expired';
        export class TokenError extends ApiError {
          constructor(code: TokenErrorCode, message: string) { super(HttpStatus.UNAUTHORIZED, code, message, {}); }
        }
        export class KeysUnavailableError extends ApiError {
          constructor() { super(503, 'keys_unavailable', 'retry'); }
        }
        throw new TokenError(reason, 'whatever the reason');
      `,
  };
  const filter = {
    path: 'filter.ts',
    text: `
        const CODES_BY_STATUS: Record<number, string> = { 405: 'method_not_allowed', 413: 'payload_too_large' };
        const fallback = new ApiError(status, CODES_BY_STATUS[status] ?? (status >= 500 ? 'internal_error' : 'bad_request'), m);
        const passedOn = { statusCode: status, error: 'x', code: error.code, message: 'm' };
        const health = { statusCode: 503, code: draining ? 'shutting_down' : 'not_ready' };
      `,
  };

  it('reads codes from new ApiError(…), a subclass typed with a union, a super(…) call and hand-written bodies', () => {
    const { codes, problems } = errorCodes([apiError, tokens, filter], { UNAUTHORIZED: 401 });
    expect(problems).toEqual([]);
    expect(names(codes)).toEqual([
      'bad_request',
      'internal_error',
      'keys_unavailable',
      'method_not_allowed',
      'not_found',
      'not_ready',
      'payload_too_large',
      'shutting_down',
      'token_expired',
      'token_missing',
    ]);
    expect(codes.find((c) => c.name === 'not_found')?.where).toBe('api-error.ts:5');
  });

  it('reads the status each code is answered with, where the source says it', () => {
    const { codes } = errorCodes([apiError, tokens, filter], { UNAUTHORIZED: 401 });
    const statuses = Object.fromEntries(codes.map((code) => [code.name, code.statuses]));
    expect(statuses).toEqual({
      not_found: [404],
      token_missing: [401],
      token_expired: [401],
      keys_unavailable: [503],
      method_not_allowed: [405],
      payload_too_large: [413],
      internal_error: [],
      bad_request: [],
      shutting_down: [503],
      not_ready: [503],
    });
  });

  it('reports a code it cannot read, and one that is not lowercase words', () => {
    const service = {
      path: 'service.ts',
      text: `
        const made = new ApiError(409, codeFor(error), 'conflict');
        const odd = new ApiError(409, 'Not-A-Code', 'conflict');
      `,
    };
    const { codes, problems } = errorCodes([apiError, service]);
    expect(names(codes)).toEqual(['not_found']);
    expect(problems).toEqual([
      'service.ts:2: cannot tell which code new ApiError(…) answers; write the code as a string literal (or a union type of them)',
      'service.ts:3: "Not-A-Code" is not a code (lowercase words joined by _)',
    ]);
  });
});
