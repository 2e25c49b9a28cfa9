/**
 * `npm run bench`: the API's throughput beside a bare Fastify route, on one machine, in one run.
 *
 * The compiled API (as `npm run start:prod` runs it) and a bare Fastify constant-JSON server share one
 * core; the load generator (autocannon, a process of its own) and the pool the other (`taskset`,
 * where it exists); PostgreSQL is left to the scheduler. The pool is a small one of this script's own: it publishes a JWKS and
 * answers GetUser for any token it signed, so tokens are real RS256 tokens without the emulator.
 * Scenarios, interleaved in rounds: bare Fastify; GET /api/v1/me with 1,000 users repeating their
 * tokens; a never-seen token per request; a new user per request; the same for a hand-written first
 * sight (lean-first-sight.mjs: what the hardware allows a new user to cost); GET /health/live. Prints the
 * medians of req/s, p50/p99, errors and the ratios against bare Fastify, then the API's RSS.
 *
 * `npm run bench -- --quick` (one round of 5 s, about a minute), `--seconds N`, `--rounds N`,
 * `--no-build` (use dist/ as it is), `--main <file>` (another build's dist/src/main.js, to compare),
 * `--cpu-prof <dir>` (the API writes a CPU profile there when it stops; summarise it with
 * `node scripts/bench/profile-summary.mjs <file>`), `--only <n,...>` (scenarios by number, 1-6). Signed token sets are cached for a day in node_modules/.cache/bench.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import {
  CONNECTIONS,
  cpuMs,
  heapFigures,
  postgresCpuMs,
  postgresCpuSince,
  LOAD_CORE,
  type LoadResult,
  median,
  rssMiB,
  runLoad,
  say,
  SERVER_CORE,
  startBenchStack,
  TASKSET,
  tokenSet,
  USERS,
} from './bench-stack.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
function option(name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}
const SECONDS = option('seconds', QUICK ? 5 : 15);
const ROUNDS = option('rounds', QUICK ? 1 : 3);
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',').map(Number) : undefined;
/** Whether scenario `number` (1-6) runs; the reference (1) always does. */
const selected = (number: number) => number === 1 || !ONLY || ONLY.includes(number);
/** Token sets are sized for these rates; a faster API ends the run early, when its tokens are spent. */
const NEVER_SEEN_PER_SECOND = 16_000;
const NEW_USERS_PER_SECOND = 6000;
/** `--main <file>`: another build of the server (an older commit's, to compare), with `--no-build`. */
const MAIN = resolve(argv.includes('--main') ? argv[argv.indexOf('--main') + 1] : 'dist/src/main.js');

async function main(): Promise<void> {
  if (!argv.includes('--no-build')) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  const profileDir = argv.includes('--cpu-prof') ? resolve(argv[argv.indexOf('--cpu-prof') + 1]) : undefined;
  const stack = await startBenchStack({ main: MAIN, cpuProfileDir: profileDir, nodeOptions: process.env.NODE_OPTIONS });
  try {
    const { api, apiPid: serverPid, keyPem, issuer, knownUsers, usersFile, logFile } = stack;
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Only the token sets of the scenarios that run are signed.
      rounds.push({
        neverSeen: selected(3)
          ? await tokenSet(`refreshed-${SECONDS}s-round${round}`, SECONDS * NEVER_SEEN_PER_SECOND, keyPem, issuer, knownUsers)
          : '',
        newUsers:
          selected(4) || selected(5)
            ? await tokenSet(`new-users-${SECONDS}s-round${round}`, SECONDS * NEW_USERS_PER_SECOND, keyPem, issuer)
            : '',
      });
    }
    const bare = await stack.startBare();
    const lean = selected(5) ? await stack.startLean() : undefined;

    say(
      `${TASKSET ? `API and references on core ${SERVER_CORE}; load and pool on core ${LOAD_CORE}; PostgreSQL unpinned` : 'no taskset: nothing pinned'}; ` +
        `${CONNECTIONS} connections, ${ROUNDS} round(s) of ${SECONDS} s per scenario; access log in ${logFile}`,
    );
    say(`${USERS} users seen once; warming up each scenario briefly`);
    await runLoad({ url: api, path: '/api/v1/me', seconds: 3, tokens: 'repeat', tokensFile: usersFile });
    await runLoad({ url: bare.url, path: '/', seconds: 2, tokens: 'none' });
    await runLoad({ url: api, path: '/health/live', seconds: 2, tokens: 'none' });
    if (lean) await runLoad({ url: lean.url, path: '/api/v1/me', seconds: 2, tokens: 'repeat', tokensFile: usersFile });

    type Round = (typeof rounds)[number];
    interface Scenario {
      name: string;
      pid: number;
      run: (files: Round) => Promise<LoadResult>;
      /** At least this many times bare Fastify's rate, and a p99 under this many ms. */
      target?: { ratio: number; p99?: number };
      /** Its tokens reach the API's caches (for the RSS figure at the end). */
      fillsCaches?: boolean;
    }
    const load = (url: string, path: string, tokens: 'none' | 'repeat' | 'unique', tokensFile?: string) =>
      runLoad({ url, path, seconds: SECONDS, tokens, tokensFile });
    // In the order of their numbers (`--only`); bare Fastify, the reference, is 1.
    const scenarios: Scenario[] = [
      { name: 'bare Fastify (constant JSON)', pid: bare.pid, run: () => load(bare.url, '/', 'none') },
      {
        name: 'GET /api/v1/me, repeated tokens',
        pid: serverPid,
        run: () => load(api, '/api/v1/me', 'repeat', usersFile),
        target: { ratio: 0.25, p99: 15 },
      },
      {
        name: 'a never-seen token per request',
        pid: serverPid,
        run: (files) => load(api, '/api/v1/me', 'unique', files.neverSeen),
        target: { ratio: 0.09 },
        fillsCaches: true,
      },
      {
        name: 'a new user per request',
        pid: serverPid,
        run: (files) => load(api, '/api/v1/me', 'unique', files.newUsers),
        target: { ratio: 0.03, p99: 50 },
        fillsCaches: true,
      },
      // Its own table: the same tokens are new users to it too.
      {
        name: 'a new user per request, hand-written',
        pid: lean?.pid ?? 0,
        run: (files) => load(lean!.url, '/api/v1/me', 'unique', files.newUsers),
      },
      { name: 'GET /health/live', pid: serverPid, run: () => load(api, '/health/live', 'none'), target: { ratio: 0.35 } },
    ];
    const results: LoadResult[][] = scenarios.map(() => []);
    let distinct = USERS;
    for (const [round, files] of rounds.entries()) {
      say(`round ${round + 1} of ${ROUNDS}`);
      for (const [index, scenario] of scenarios.entries()) {
        if (!selected(index + 1)) continue;
        const cpuBefore = cpuMs(scenario.pid);
        const postgresBefore = postgresCpuMs();
        const result = await scenario.run(files);
        result.cpuUs = ((cpuMs(scenario.pid) - cpuBefore) * 1000) / result.total;
        result.postgresUs = (postgresCpuSince(postgresBefore) * 1000) / result.total;
        results[index].push(result);
        if (scenario.fillsCaches) distinct += result.distinctTokens;
        say(
          `  ${scenario.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.errors} errors, ` +
            `${result.cpuUs.toFixed(0)} µs CPU per request (PostgreSQL ${result.postgresUs.toFixed(0)} µs)` +
            (result.exhausted ? ` (all ${result.distinctTokens} tokens sent after ${result.seconds.toFixed(1)} s)` : ''),
        );
      }
    }
    const rss = rssMiB(serverPid);
    const heap = await heapFigures(stack.metricsUrl);

    const bareRates = results[0].map((result) => result.rps);
    console.log('');
    // The CPU ratio (bare Fastify's CPU per request over the scenario's) is what the req/s ratio would be
    // on an otherwise idle core: on a shared machine it is the steadier of the two.
    console.log('| scenario | req/s | p50 ms | p99 ms | errors | x bare Fastify | µs CPU/request | x bare (CPU) | target |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    let errors = 0;
    for (const [index, { name, target: goal }] of scenarios.entries()) {
      const runs = results[index];
      if (runs.length === 0) continue;
      errors += runs.reduce((sum, result) => sum + result.errors, 0);
      const ratio = median(runs.map((result, round) => result.rps / bareRates[round]));
      const p99 = median(runs.map((result) => result.p99));
      const cpu = median(runs.map((result) => result.cpuUs!));
      const cpuRatio = median(runs.map((result, round) => results[0][round].cpuUs! / result.cpuUs!));
      const target = goal && [`>= ${goal.ratio}x`, goal.p99 && `p99 < ${goal.p99} ms`].filter(Boolean).join(', ');
      const met = goal && ratio >= goal.ratio && (!goal.p99 || p99 < goal.p99);
      console.log(
        `| ${name} | ${median(runs.map((result) => result.rps)).toFixed(0)} | ${median(runs.map((result) => result.p50))} | ${p99} | ` +
          `${runs.reduce((sum, result) => sum + result.errors, 0)} | ${index === 0 ? '1' : ratio.toFixed(3)} | ${cpu.toFixed(0)} | ` +
          `${index === 0 ? '1' : cpuRatio.toFixed(3)} | ${target ? `${target} ${met ? 'met' : 'NOT met'}` : ''} |`,
      );
    }
    console.log('');
    say(
      `API RSS after ${distinct} distinct tokens: ${rss.toFixed(0)} MiB (V8 heap ${heap.used.toFixed(0)} MiB used of ${heap.total.toFixed(0)}; ` +
        `npm run bench:memory measures 200,000)`,
    );
    if (errors > 0) {
      say(`FAILED: ${errors} failed requests (see ${logFile})`);
      process.exitCode = 1;
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
