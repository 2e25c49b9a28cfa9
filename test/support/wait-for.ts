import { setTimeout as delay } from 'node:timers/promises';

export interface WaitForOptions {
  /** How long to keep trying, in ms (default 5000). */
  timeout?: number;
  /** Pause between two attempts, in ms (default 50). */
  interval?: number;
  /** What is awaited, for the failure message: "the server to answer 200". */
  message?: string;
}

type Attempt<T> = { outcome: 'value'; value: T } | { outcome: 'error'; error: unknown } | { outcome: 'late' };

/** One call of `fn`, given at most `ms` to settle. */
async function attempt<T>(fn: () => T | Promise<T>, ms: number): Promise<Attempt<T>> {
  const timer = new AbortController();
  try {
    return await Promise.race([
      Promise.resolve()
        .then(fn)
        .then(
          (value): Attempt<T> => ({ outcome: 'value', value }),
          (error: unknown): Attempt<T> => ({ outcome: 'error', error }),
        ),
      delay(ms, { outcome: 'late' } as const, { signal: timer.signal }),
    ]);
  } finally {
    timer.abort();
  }
}

/**
 * Calls `fn` until it returns without throwing, and resolves with what it returned; after `timeout` ms,
 * fails with what it waited for and the last attempt's error (an `expect` inside `fn` says what it saw).
 * An attempt still running at the deadline fails the wait too: nothing here waits without a limit.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<T> {
  const { timeout = 5000, interval = 50, message = 'the condition' } = options;
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    const result = await attempt(fn, Math.max(deadline - Date.now(), 0));
    if (result.outcome === 'value') return result.value;
    if (result.outcome === 'late') {
      throw new Error(`Timed out after ${timeout} ms waiting for ${message}: the last attempt was still running`, { cause: lastError });
    }
    lastError = result.error;
    if (Date.now() + interval > deadline) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`Timed out after ${timeout} ms waiting for ${message}; last attempt: ${reason}`, { cause: lastError });
    }
    await delay(interval);
  }
}
