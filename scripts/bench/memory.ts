/**
 * `npm run bench:memory`: the API's memory under a stream of distinct tokens, then under a soak.
 *
 * The stack of `npm run bench` (the API as start:prod runs it, pinned; the load generator on the other
 * core), 1,000 users seen once. Then 200,000 distinct access tokens (refreshed sessions of those
 * users: each one a signature check and a cache entry), in ten steps with the RSS after each; then a
 * soak of 10 minutes replaying those tokens (far more than the caches hold, so every request is
 * still a never-seen token to the API), with the RSS every minute. Prints the figures and whether
 * the targets are met: under 200 MiB after the 200,000, and flat during the soak.
 *
 * `--tokens N` (default 200000), `--soak-minutes N` (default 10; 0 skips it), `--no-build`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type MemoryFigures, memoryFigures, rssMiB, runLoad, say, startBenchStack, tokenSet, USERS } from './bench-stack.js';

const argv = process.argv.slice(2);
function option(name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}
const TOKENS = option('tokens', 200_000);
const SOAK_MINUTES = option('soak-minutes', 10);
const STEPS = 10;
const RSS_TARGET_MIB = 200;
/** Growth in the soak's second half over its first half's peak that still counts as flat (GC cycles move RSS by a few MiB). */
const FLAT_TOLERANCE = 0.05;

async function main(): Promise<void> {
  if (!argv.includes('--no-build')) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  const stack = await startBenchStack({ main: resolve('dist/src/main.js'), nodeOptions: process.env.NODE_OPTIONS });
  const dir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
  let errors = 0;
  try {
    const { api, apiPid } = stack;
    const sample = () => memoryFigures(apiPid, stack.metricsUrl);
    const row = (label: string, { rss, heap, resident }: MemoryFigures, extra = '') =>
      console.log(
        `| ${label} | ${rss.toFixed(0)} | ${heap.used.toFixed(0)} | ${heap.total.toFixed(0)} | ` +
          `${resident.v8Pages.toFixed(0)} | ${resident.otherAnonymous.toFixed(0)} | ${resident.files.toFixed(0)} | ${extra} |`,
      );

    const file = await tokenSet(`refreshed-${TOKENS}`, TOKENS, stack.keyPem, stack.issuer, stack.knownUsers);
    const tokens = JSON.parse(readFileSync(file, 'utf8')) as string[];
    say(
      `Node ${process.version}; API started as start:prod runs it; ${USERS} users seen once; now ${TOKENS} distinct tokens in ${STEPS} steps`,
    );
    console.log('\n| after | RSS MiB | V8 heap used | V8 heap total | resident: V8 pages | other anonymous | files | load |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    row('start-up', stack.memoryAtReady);
    row(`${USERS} users seen once`, await sample());
    const step = Math.ceil(TOKENS / STEPS);
    let sent = 0;
    for (let index = 0; index < STEPS; index++) {
      const part = join(dir, `step-${index}.json`);
      writeFileSync(part, JSON.stringify(tokens.slice(index * step, (index + 1) * step)));
      const result = await runLoad({ url: api, path: '/api/v1/me', seconds: 600, tokens: 'unique', tokensFile: part });
      sent += result.distinctTokens;
      errors += result.errors;
      row(
        `${sent.toLocaleString('en')} distinct tokens`,
        await sample(),
        `${result.rps.toFixed(0)} req/s, p99 ${result.p99} ms, ${result.errors} errors`,
      );
    }
    const afterTokens = rssMiB(apiPid);

    const soak: number[] = [];
    for (let minute = 1; minute <= SOAK_MINUTES; minute++) {
      const result = await runLoad({ url: api, path: '/api/v1/me', seconds: 60, tokens: 'repeat', tokensFile: file });
      errors += result.errors;
      const figures = await sample();
      soak.push(figures.rss);
      row(`soak minute ${minute}`, figures, `${result.rps.toFixed(0)} req/s, p99 ${result.p99} ms, ${result.errors} errors`);
    }

    console.log('');
    say(
      `RSS after ${TOKENS.toLocaleString('en')} distinct tokens: ${afterTokens.toFixed(0)} MiB ` +
        `(target under ${RSS_TARGET_MIB} MiB: ${afterTokens < RSS_TARGET_MIB ? 'met' : 'NOT met'})`,
    );
    if (soak.length >= 2) {
      const half = Math.floor(soak.length / 2);
      const firstPeak = Math.max(...soak.slice(0, half));
      const secondPeak = Math.max(...soak.slice(half));
      const flat = secondPeak <= firstPeak * (1 + FLAT_TOLERANCE);
      say(
        `soak of ${SOAK_MINUTES} min: RSS peak ${firstPeak.toFixed(0)} MiB in the first half, ${secondPeak.toFixed(0)} MiB in the second ` +
          `(flat: within ${FLAT_TOLERANCE * 100}%: ${flat ? 'met' : 'NOT met'})`,
      );
    }
    if (errors > 0) {
      say(`FAILED: ${errors} failed requests (see ${stack.logFile})`);
      process.exitCode = 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
