import { batchedLoader } from './batched-loader.js';

/** A loadMany whose calls the test answers by hand, recording the keys of each. */
function controlledLoads() {
  const calls: Array<{ keys: string[]; answer: () => void; fail: (error: unknown) => void }> = [];
  const loadMany = (keys: readonly string[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push({ keys: [...keys], answer: () => resolve(keys.map((key) => key.toUpperCase())), fail: reject });
    });
  return { calls, loadMany };
}

const tick = () => new Promise((done) => setImmediate(done));

describe(batchedLoader.name, () => {
  it('sends a lone key at once, and the keys that arrive together in one batch', async () => {
    const { calls, loadMany } = controlledLoads();
    const loader = batchedLoader(loadMany, { concurrency: 2, maxBatchSize: 100 });
    const lone = loader.load('a');
    await tick();
    expect(calls.map((call) => call.keys)).toEqual([['a']]);
    calls[0].answer();
    await expect(lone).resolves.toBe('A');

    const together = ['b', 'c', 'd'].map((key) => loader.load(key));
    await tick();
    expect(calls[1].keys).toEqual(['b', 'c', 'd']);
    calls[1].answer();
    await expect(Promise.all(together)).resolves.toEqual(['B', 'C', 'D']);
  });

  it('keeps at most `concurrency` batches at the database; the keys arriving meanwhile wait together for a free slot', async () => {
    const { calls, loadMany } = controlledLoads();
    const loader = batchedLoader(loadMany, { concurrency: 2, maxBatchSize: 100 });
    const first = loader.load('a');
    await tick();
    const second = loader.load('b');
    await tick();
    const waiting = ['c', 'd', 'e'].map((key) => loader.load(key));
    for (let i = 0; i < 3; i++) {
      await tick();
      waiting.push(loader.load(`late-${i}`));
    }
    await tick();
    expect(calls.map((call) => call.keys)).toEqual([['a'], ['b']]);

    calls[0].answer();
    await first;
    await tick();
    expect(calls[2].keys).toEqual(['c', 'd', 'e', 'late-0', 'late-1', 'late-2']);
    calls[1].answer();
    calls[2].answer();
    await expect(Promise.all([second, ...waiting])).resolves.toEqual(['B', 'C', 'D', 'E', 'LATE-0', 'LATE-1', 'LATE-2']);
  });

  it('retries a batch the database refused for its data key by key, so that only the bad key fails', async () => {
    const loader = batchedLoader(
      (keys: readonly string[]) =>
        keys.includes('bad')
          ? Promise.reject(Object.assign(new Error('value too long'), { code: '22001' }))
          : Promise.resolve(keys.map((key) => key.toUpperCase())),
      { concurrency: 2, maxBatchSize: 100 },
    );
    const outcomes = await Promise.allSettled(['a', 'bad', 'c'].map((key) => loader.load(key)));
    expect(outcomes.map((outcome) => (outcome.status === 'fulfilled' ? outcome.value : (outcome.reason as Error).message))).toEqual([
      'A',
      'value too long',
      'C',
    ]);
  });

  it('fails every key at once when the database cannot be reached, without retrying each', async () => {
    let calls = 0;
    const loader = batchedLoader(
      (): Promise<string[]> => {
        calls++;
        return Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
      },
      { concurrency: 2, maxBatchSize: 100 },
    );
    const outcomes = await Promise.allSettled(['a', 'b', 'c'].map((key) => loader.load(key)));
    expect(outcomes.every((outcome) => outcome.status === 'rejected')).toBe(true);
    expect(calls).toBe(1);
  });

  it('splits more keys than maxBatchSize into several batches', async () => {
    const sizes: number[] = [];
    const loader = batchedLoader(
      (keys: readonly string[]) => {
        sizes.push(keys.length);
        return Promise.resolve([...keys]);
      },
      { concurrency: 2, maxBatchSize: 2 },
    );
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((key) => loader.load(key)));
    expect(sizes).toEqual([2, 2, 1]);
  });
});
