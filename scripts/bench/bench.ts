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
  rechecksMade,
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
/** `--compare <file>`: a second build run beside MAIN, scenario by scenario, to compare the two. */
const COMPARE = argv.includes('--compare') ? resolve(argv[argv.indexOf('--compare') + 1]) : undefined;

/** Where a scenario's load goes: the reference servers, or one of the builds of the API. */
interface Target {
  url: string;
  pid: number;
  /** The builds': their metrics (background rechecks) and which build (with --compare). */
  metricsUrl?: string;
  label?: string;
}

async function main(): Promise<void> {
  if (!argv.includes('--no-build')) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  const profileDir = argv.includes('--cpu-prof') ? resolve(argv[argv.indexOf('--cpu-prof') + 1]) : undefined;
  const stack = await startBenchStack({
    main: MAIN,
    compareMain: COMPARE,
    cpuProfileDir: profileDir,
    nodeOptions: process.env.NODE_OPTIONS,
  });
  try {
    const { keyPem, issuer, knownUsers, usersFile, logFile } = stack;
    const builds: Target[] = [
      { label: COMPARE ? `--main ${MAIN}` : '', url: stack.api, pid: stack.apiPid, metricsUrl: stack.metricsUrl },
      ...(stack.compare
        ? [{ label: `--compare ${COMPARE}`, url: stack.compare.api, pid: stack.compare.apiPid, metricsUrl: stack.compare.metricsUrl }]
        : []),
    ];
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Only the token sets of the scenarios that run are signed. A token never seen by one build is
      // never seen by the other either: both get the same set.
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
    // First-sight work (signature checks, new rows) is compiled and warm before any round measures it.
    const warmUp = {
      neverSeen: selected(3) ? await tokenSet('refreshed-warm-up', 2 * NEVER_SEEN_PER_SECOND, keyPem, issuer, knownUsers) : '',
      newUsers: selected(4) || selected(5) ? await tokenSet('new-users-warm-up', 2 * NEW_USERS_PER_SECOND, keyPem, issuer) : '',
    };
    const bare = await stack.startBare();
    const lean = selected(5) ? await stack.startLean() : undefined;

    say(
      `${TASKSET ? `API and references on core ${SERVER_CORE}; load and pool on core ${LOAD_CORE}; PostgreSQL unpinned` : 'no taskset: nothing pinned'}; ` +
        `${CONNECTIONS} connections, ${ROUNDS} round(s) of ${SECONDS} s per scenario; access log in ${logFile}`,
    );
    if (COMPARE)
      say(`two builds, each on a database of its own, taking turns in every scenario: ${builds.map((build) => build.label).join(' and ')}`);
    say(`${USERS} users seen once; warming up each scenario briefly`);
    await runLoad({ url: bare.url, path: '/', seconds: 2, tokens: 'none' });
    let distinct = USERS;
    for (const { url } of builds) {
      await runLoad({ url, path: '/api/v1/me', seconds: 3, tokens: 'repeat', tokensFile: usersFile });
      await runLoad({ url, path: '/health/live', seconds: 2, tokens: 'none' });
      for (const tokensFile of [warmUp.neverSeen, warmUp.newUsers].filter(Boolean)) {
        const { distinctTokens } = await runLoad({ url, path: '/api/v1/me', seconds: 2, tokens: 'unique', tokensFile });
        if (url === stack.api) distinct += distinctTokens;
      }
    }
    if (lean) {
      await runLoad({ url: lean.url, path: '/api/v1/me', seconds: 2, tokens: 'repeat', tokensFile: usersFile });
      // Its own table: the same tokens are new users to it too.
      await runLoad({ url: lean.url, path: '/api/v1/me', seconds: 2, tokens: 'unique', tokensFile: warmUp.newUsers });
    }

    type Round = (typeof rounds)[number];
    interface Scenario {
      name: string;
      /** The servers it loads: each build of the API in turn, or one reference. */
      targets: Target[];
      run: (target: Target, files: Round) => Promise<LoadResult>;
      /** At least this many times bare Fastify's rate, and a p99 under this many ms. */
      goal?: { ratio: number; p99?: number };
      /** Its tokens reach the API's caches (for the RSS figure at the end). */
      fillsCaches?: boolean;
    }
    const load = (url: string, path: string, tokens: 'none' | 'repeat' | 'unique', tokensFile?: string) =>
      runLoad({ url, path, seconds: SECONDS, tokens, tokensFile });
    // In the order of their numbers (`--only`); bare Fastify, the reference, is 1.
    const scenarios: Scenario[] = [
      { name: 'bare Fastify (constant JSON)', targets: [bare], run: ({ url }) => load(url, '/', 'none') },
      {
        name: 'GET /api/v1/me, repeated tokens',
        targets: builds,
        run: ({ url }) => load(url, '/api/v1/me', 'repeat', usersFile),
        goal: { ratio: 0.25, p99: 15 },
      },
      {
        name: 'a never-seen token per request',
        targets: builds,
        run: ({ url }, files) => load(url, '/api/v1/me', 'unique', files.neverSeen),
        goal: { ratio: 0.09 },
        fillsCaches: true,
      },
      {
        name: 'a new user per request',
        targets: builds,
        run: ({ url }, files) => load(url, '/api/v1/me', 'unique', files.newUsers),
        goal: { ratio: 0.03, p99: 50 },
        fillsCaches: true,
      },
      // Its own table: the same tokens are new users to it too.
      {
        name: 'a new user per request, hand-written',
        targets: lean ? [lean] : [],
        run: ({ url }, files) => load(url, '/api/v1/me', 'unique', files.newUsers),
      },
      { name: 'GET /health/live', targets: builds, run: ({ url }) => load(url, '/health/live', 'none'), goal: { ratio: 0.35 } },
    ];
    /** Per scenario, per target (in the order of `targets`), one result per round. */
    const results: LoadResult[][][] = scenarios.map(({ targets }) => targets.map(() => []));
    for (const [round, files] of rounds.entries()) {
      say(`round ${round + 1} of ${ROUNDS}`);
      for (const [index, scenario] of scenarios.entries()) {
        if (!selected(index + 1)) continue;
        // Builds take turns going first, so that neither always runs on the warmer or the quieter machine.
        const order = scenario.targets.map((_, at) => at);
        if (round % 2 === 1) order.reverse();
        for (const at of order) {
          const target = scenario.targets[at];
          // Read outside the CPU time measured, which the metrics request would add to.
          const rechecksBefore = target.metricsUrl ? await rechecksMade(target.metricsUrl) : 0;
          const cpuBefore = cpuMs(target.pid);
          const postgresBefore = postgresCpuMs();
          const result = await scenario.run(target, files);
          result.cpuUs = ((cpuMs(target.pid) - cpuBefore) * 1000) / result.total;
          result.postgresUs = (postgresCpuSince(postgresBefore) * 1000) / result.total;
          results[index][at].push(result);
          if (scenario.fillsCaches && target.url === stack.api) distinct += result.distinctTokens;
          const rechecked = target.metricsUrl ? `, ${(await rechecksMade(target.metricsUrl)) - rechecksBefore} background rechecks` : '';
          const label = builds.length > 1 && target.label ? ` [${target.label}]` : '';
          say(
            `  ${scenario.name}${label}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.errors} errors, ` +
              `${result.cpuUs.toFixed(0)} µs CPU per request (PostgreSQL ${result.postgresUs.toFixed(0)} µs)${rechecked}` +
              (result.exhausted ? ` (all ${result.distinctTokens} tokens sent after ${result.seconds.toFixed(1)} s)` : ''),
          );
        }
      }
    }
    const rss = rssMiB(stack.apiPid);
    const heap = await heapFigures(stack.metricsUrl);

    const bareRuns = results[0][0];
    console.log('');
    // The CPU ratio (bare Fastify's CPU per request over the scenario's) is what the req/s ratio would be
    // on an otherwise idle core: on a shared machine it is the steadier of the two.
    console.log('| scenario | req/s | p50 ms | p99 ms | errors | x bare Fastify | µs CPU/request | x bare (CPU) | target |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    let errors = 0;
    for (const [index, { name, goal, targets }] of scenarios.entries()) {
      for (const [at, runs] of results[index].entries()) {
        if (runs.length === 0) continue;
        errors += runs.reduce((sum, result) => sum + result.errors, 0);
        const ratio = median(runs.map((result, round) => result.rps / bareRuns[round].rps));
        const p99 = median(runs.map((result) => result.p99));
        const cpu = median(runs.map((result) => result.cpuUs!));
        const cpuRatio = median(runs.map((result, round) => bareRuns[round].cpuUs! / result.cpuUs!));
        const target = goal && [`>= ${goal.ratio}x`, goal.p99 && `p99 < ${goal.p99} ms`].filter(Boolean).join(', ');
        const met = goal && ratio >= goal.ratio && (!goal.p99 || p99 < goal.p99);
        const build = targets.length > 1 ? ` [${builds[at].label}]` : '';
        console.log(
          `| ${name}${build} | ${median(runs.map((result) => result.rps)).toFixed(0)} | ${median(runs.map((result) => result.p50))} | ${p99} | ` +
            `${runs.reduce((sum, result) => sum + result.errors, 0)} | ${index === 0 ? '1' : ratio.toFixed(3)} | ${cpu.toFixed(0)} | ` +
            `${index === 0 ? '1' : cpuRatio.toFixed(3)} | ${target ? `${target} ${met ? 'met' : 'NOT met'}` : ''} |`,
        );
      }
    }
    if (COMPARE) {
      // Each round's pair ran back to back: their ratio leaves out what the machine did between rounds.
      console.log('');
      console.log(`| scenario | req/s, main / compare | µs CPU per request, main / compare | per round (CPU) |`);
      console.log('| --- | ---: | ---: | --- |');
      for (const [index, { name, targets }] of scenarios.entries()) {
        const [mains, compares] = results[index];
        if (targets.length < 2 || mains.length === 0) continue;
        const cpuRatios = mains.map((result, round) => result.cpuUs! / compares[round].cpuUs!);
        const rpsRatio = median(mains.map((result, round) => result.rps / compares[round].rps));
        console.log(
          `| ${name} | ${rpsRatio.toFixed(3)} | ${median(cpuRatios).toFixed(3)} | ${cpuRatios.map((value) => value.toFixed(2)).join(', ')} |`,
        );
      }
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
