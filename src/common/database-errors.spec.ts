import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable, isInvalidData } from './database-errors.js';

describe(isDatabaseUnavailable.name, () => {
  const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it.each([
    ['a refused connection', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['a server shutting down', withCode('57P01', 'terminating connection due to administrator command')],
    ['a server starting up', withCode('57P03', 'the database system is starting up')],
    ['a connect timeout', new Error('timeout exceeded when trying to connect')],
    ['a query timeout', new Error('Query read timeout')],
    ['a cut connection', new Error('Connection terminated unexpectedly')],
    ['a driver error wrapped by TypeORM', new QueryFailedError('SELECT 1', [], withCode('57P01'))],
    ['every address of a host refusing', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])],
    ["PgBouncer's own failure (08P01: server down, query_wait_timeout)", withCode('08P01', 'query_wait_timeout')],
    ['an error of another realm (a plain object)', { code: 'ECONNRESET', message: 'read ECONNRESET' }],
  ])('is true for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('23505'))],
    ['a syntax error', withCode('42601')],
    ['a plain error', new Error('boom')],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('is false for %s', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe(isInvalidData.name, () => {
  const withCode = (code: string) => Object.assign(new Error('x'), { code });

  it.each([
    ['a NUL in text (22021)', new QueryFailedError('INSERT', [], withCode('22021'))],
    ['a value too long (22001)', new QueryFailedError('UPDATE', [], withCode('22001'))],
    ['a bad number (22P02)', withCode('22P02')],
    ['a null in a NOT NULL column (23502)', new QueryFailedError('UPDATE', [], withCode('23502'))],
  ])('is true for %s', (_case, error) => {
    expect(isInvalidData(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('23505'))],
    ['a lost connection', withCode('57P01')],
    ['a Node error code', withCode('ERR_22')],
    ['nothing', undefined],
  ])('is false for %s', (_case, error) => {
    expect(isInvalidData(error)).toBe(false);
  });
});
