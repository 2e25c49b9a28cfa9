import DataLoader from 'dataloader';
import { isDatabaseUnavailable } from '../common/database-errors.js';

/**
 * A DataLoader for statements that take many keys at once (`WHERE sub = ANY($1)`, a multi-row
 * INSERT), batched by load rather than by tick: a batch leaves at once while fewer than
 * `concurrency` are at the database, otherwise it gathers keys until one comes back. A trickle
 * of requests is answered as before, one key per statement; under load, the keys that arrive
 * while the database works go together in the next statement, so that PostgreSQL parses,
 * plans and commits once for many users instead of once for each.
 *
 * A batch refused for its data (one bad value fails the whole statement) is retried key by key,
 * so that only that key's caller sees the error. A database that cannot be reached fails them all.
 */
export function batchedLoader<K, V>(
  loadMany: (keys: readonly K[]) => Promise<V[]>,
  { concurrency, maxBatchSize }: { concurrency: number; maxBatchSize: number },
): DataLoader<K, V> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const schedule = (dispatch: () => void) => {
    if (active < concurrency) {
      active++;
      setImmediate(dispatch);
    } else waiting.push(dispatch);
  };
  // A finished batch hands its slot to the next one waiting.
  const release = () => {
    const next = waiting.shift();
    if (next) setImmediate(next);
    else active--;
  };
  const load = async (keys: readonly K[]): Promise<Array<V | Error>> => {
    try {
      return await loadMany(keys);
    } catch (error) {
      if (keys.length === 1 || isDatabaseUnavailable(error)) throw error;
      return Promise.all(
        keys.map((key) =>
          loadMany([key]).then(
            ([value]) => value,
            (single: unknown) => asError(single),
          ),
        ),
      );
    } finally {
      release();
    }
  };
  return new DataLoader(load, { cache: false, maxBatchSize, batchScheduleFn: schedule });
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
