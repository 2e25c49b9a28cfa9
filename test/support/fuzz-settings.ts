/** The budget in `npm test`: 500 requests, 5-25 s on a shared two-core machine depending on its load. */
export const DEFAULT_FUZZ_RUNS = 500;

export interface FuzzSettings {
  runs: number;
  seed: number;
  /** fast-check's path of a shrunk counterexample, to replay exactly that one. */
  path?: string;
  /** Long runs stop at the first failure instead of shrinking it (shrinking replays against a changed database). */
  endOnFailure: boolean;
  timeoutMs: number;
}

/** From FUZZ_RUNS / FUZZ_SEED / FUZZ_PATH, which `npm run fuzz` (scripts/fuzz.mjs) sets from its options. */
export function fuzzSettings(env: Record<string, string | undefined> = process.env): FuzzSettings {
  const runs = Number(env.FUZZ_RUNS ?? DEFAULT_FUZZ_RUNS);
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`FUZZ_RUNS must be a positive integer (got "${env.FUZZ_RUNS}")`);
  if (!Number.isInteger(seed)) throw new Error(`FUZZ_SEED must be an integer (got "${env.FUZZ_SEED}")`);
  return { runs, seed, path: env.FUZZ_PATH || undefined, endOnFailure: runs > DEFAULT_FUZZ_RUNS, timeoutMs: 120_000 + runs * 1000 };
}
