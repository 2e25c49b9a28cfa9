import { envNamesRead, errorCodes, notAssigned, notMentioned } from './doc-drift.js';

const names = (found: { name: string }[]) => found.map((f) => f.name).sort();

describe('envNamesRead', () => {
  it('finds env.X, process.env.X, env["X"], names handed to helpers and names in tables', () => {
    const text = `
      const host = env.HOST?.trim();
      const node = process.env.NODE_ENV;
      const bracket = env['JWKS_TIMEOUT_MS'];
      const port = integer('PORT', 8000, 0, 65535);
      const POOL_SETTINGS = ['COGNITO_REGION', 'COGNITO_USER_POOL_ID'];
      const byKey = { audience: 'COGNITO_AUDIENCE' };
      const dynamic = env[name];
    `;
    expect(names(envNamesRead({ path: 'load-config.ts', text }))).toEqual([
      'COGNITO_AUDIENCE',
      'COGNITO_REGION',
      'COGNITO_USER_POOL_ID',
      'HOST',
      'JWKS_TIMEOUT_MS',
      'NODE_ENV',
      'PORT',
    ]);
  });

  it('ignores upper-case text that names no variable: messages, comparisons, types', () => {
    const text = `
      // COGNITO_IN_A_COMMENT
      type Form = 'ORIGINAL' | 'UPDATED';
      if (form === 'ORIGINAL') problems.push(\`COGNITO_REGION must be a region (got "\${region}")\`);
      problems.push('PORT must be an integer');
      const url = \`https://cognito-idp.\${region}.amazonaws.com\`;
    `;
    expect(envNamesRead({ path: 'load-config.ts', text })).toEqual([]);
  });

  it('reads a name built with a template as a pattern that its placeholder or any pool name fills', () => {
    const [found] = envNamesRead({ path: 'pools.ts', text: 'const region = env[`COGNITO_${pool.toUpperCase()}_REGION`];' });
    expect(found.name).toBe('COGNITO_<…>_REGION');
    expect(notMentioned('Each pool: `COGNITO_<NAME>_REGION`.', [found])).toEqual([]);
    expect(notMentioned('e.g. COGNITO_STAFF_REGION=us-east-1', [found])).toEqual([]);
    expect(notMentioned('COGNITO_REGION only', [found])).toEqual([found]);
    expect(notAssigned('# COGNITO_STAFF_REGION=us-east-1\n', [found])).toEqual([]);
    expect(notAssigned('# COGNITO_REGION=us-east-1\n', [found])).toEqual([found]);
  });
});

describe('notMentioned and notAssigned', () => {
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

  it('reads codes from new ApiError(…), a subclass typed with a union, a super(…) call and hand-written bodies', () => {
    const tokens = {
      path: 'token-errors.ts',
      text: `
        export type TokenErrorCode = 'token_missing' | 'token_expired';
        export class TokenError extends ApiError {
          constructor(code: TokenErrorCode, message: string) { super(401, code, message, {}); }
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
    const { codes, problems } = errorCodes([apiError, tokens, filter]);
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
