import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SearchIndexUpkeep } from './search-index.upkeep.js';

/** A data source whose queries answer as `answer` says, counting them. */
function databaseAnswering(answer: () => Promise<unknown>) {
  const query = jest.fn(answer);
  return { query, upkeep: new SearchIndexUpkeep({ query } as unknown as DataSource) };
}

const refusal = () => Promise.reject(Object.assign(new Error('must be owner of index users_search_trgm'), { code: '42501' }));

describe(SearchIndexUpkeep.name, () => {
  let warn: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    jest.useFakeTimers();
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('merges once, a second after the first of many inserts', async () => {
    const { query, upkeep } = databaseAnswering(() => Promise.resolve([]));
    upkeep.rowsInserted();
    await jest.advanceTimersByTimeAsync(500);
    upkeep.rowsInserted();
    upkeep.rowsInserted();
    expect(query).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(500);
    expect(query).toHaveBeenCalledTimes(1);
    expect(query.mock.calls[0]).toEqual([`SELECT gin_clean_pending_list('users_search_trgm'::regclass)`]);
    // Rows inserted after that merge get one of their own.
    upkeep.rowsInserted();
    await jest.advanceTimersByTimeAsync(1000);
    expect(query).toHaveBeenCalledTimes(2);
  });

  it('does not start a second merge while one is running', async () => {
    let finish: (value: unknown) => void = () => undefined;
    const { query, upkeep } = databaseAnswering(() => new Promise((done) => (finish = done)));
    upkeep.rowsInserted();
    await jest.advanceTimersByTimeAsync(1000);
    upkeep.rowsInserted();
    await jest.advanceTimersByTimeAsync(5000);
    expect(query).toHaveBeenCalledTimes(1);
    finish([]);
    await jest.advanceTimersByTimeAsync(0);
    upkeep.rowsInserted();
    await jest.advanceTimersByTimeAsync(1000);
    expect(query).toHaveBeenCalledTimes(2);
  });

  it('stops asking when the role may not merge the index, and keeps trying after other failures', async () => {
    const failing = databaseAnswering(() => Promise.reject(new Error('connection terminated')));
    failing.upkeep.rowsInserted();
    await jest.advanceTimersByTimeAsync(1000);
    failing.upkeep.rowsInserted();
    await jest.advanceTimersByTimeAsync(1000);
    expect(failing.query).toHaveBeenCalledTimes(2);
    expect(warn).not.toHaveBeenCalled();

    const refused = databaseAnswering(refusal);
    refused.upkeep.rowsInserted();
    await jest.advanceTimersByTimeAsync(1000);
    refused.upkeep.rowsInserted();
    await jest.advanceTimersByTimeAsync(5000);
    expect(refused.query).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('merges nothing after shutdown begins', async () => {
    const { query, upkeep } = databaseAnswering(() => Promise.resolve([]));
    upkeep.rowsInserted();
    upkeep.beforeApplicationShutdown();
    upkeep.rowsInserted();
    await jest.advanceTimersByTimeAsync(5000);
    expect(query).not.toHaveBeenCalled();
  });
});
