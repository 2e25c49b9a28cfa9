/**
 * `npm run bench:compare -- <other build's dist/src/main.js>`: this build against another, side by side,
 * over several runs of `npm run bench --compare`. Each run starts both servers anew; they take turns
 * going first from one run to the next. A server process runs a few per cent faster or slower than
 * another of the same build (the same build against itself measured 1.07 in one run), so one run
 * decides little: the figure is the geometric mean of the runs' ratios, with its standard error.
 *
 * Options: `--runs N` (8), `--rounds N` (3) and `--seconds N` (5) per run, `--only 2,3` (the
 * scenarios, as bench.ts numbers them), `--no-build` (use dist/ as it is).
 */
import { execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { say } from './bench-stack.js';

const argv = process.argv.slice(2);
/** The options that take a value; the one argument that is neither an option nor a value is the other build. */
const VALUED = ['--runs', '--rounds', '--seconds', '--only'];
const other = argv.find((arg, at) => !arg.startsWith('--') && !VALUED.includes(argv[at - 1]));
if (!other)
  throw new Error('Usage: npm run bench:compare -- <other build dist/src/main.js> [--runs N] [--rounds N] [--seconds N] [--only 2,3]');
const option = (name: string, fallback: string) => (argv.includes(`--${name}`) ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const RUNS = Number(option('runs', '8'));
const THIS = resolve('dist/src/main.js');
const OTHER = resolve(other);

/** One run's medians, main over compare, by scenario: req/s and CPU per request. */
function ratiosOf(output: string): Map<string, { rps: number; cpu: number }> {
  const ratios = new Map<string, { rps: number; cpu: number }>();
  const table = output.slice(output.indexOf('| scenario | req/s, main / compare'));
  for (const match of table.matchAll(/^\| ([^|]+?) \| ([\d.]+) \| ([\d.]+) \|/gm)) {
    ratios.set(match[1], { rps: Number(match[2]), cpu: Number(match[3]) });
  }
  return ratios;
}

function benchRun(main: string, compare: string): Promise<string> {
  const args = ['scripts/bench/bench.ts', '--no-build', '--only', option('only', '2,3'), '--rounds', option('rounds', '3')];
  args.push('--seconds', option('seconds', '5'), '--main', main, '--compare', compare);
  return new Promise((done, fail) => {
    const child = spawn(resolve('node_modules/.bin/tsx'), args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? done(output) : fail(new Error(`bench.ts exited with ${code}:\n${output}`))));
  });
}

const geometricMean = (values: number[]) => Math.exp(values.reduce((sum, value) => sum + Math.log(value), 0) / values.length);
/** The standard error of the mean of the logarithms, as a factor's ± (small values: about a per cent each 0.01). */
function standardError(values: number[]): number {
  const logs = values.map(Math.log);
  const mean = logs.reduce((sum, value) => sum + value, 0) / logs.length;
  const variance = logs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / Math.max(logs.length - 1, 1);
  return Math.sqrt(variance / logs.length);
}

async function main(): Promise<void> {
  if (!argv.includes('--no-build')) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  const runs = new Map<string, { rps: number[]; cpu: number[] }>();
  for (let run = 1; run <= RUNS; run++) {
    const thisFirst = run % 2 === 1;
    const output = await (thisFirst ? benchRun(THIS, OTHER) : benchRun(OTHER, THIS));
    const figures: string[] = [];
    for (const [scenario, { rps, cpu }] of ratiosOf(output)) {
      // Always this build over the other.
      const ratio = { rps: thisFirst ? rps : 1 / rps, cpu: thisFirst ? cpu : 1 / cpu };
      const series = runs.get(scenario) ?? { rps: [], cpu: [] };
      series.rps.push(ratio.rps);
      series.cpu.push(ratio.cpu);
      runs.set(scenario, series);
      figures.push(`${scenario}: req/s ${ratio.rps.toFixed(3)}, CPU ${ratio.cpu.toFixed(3)}`);
    }
    say(`run ${run} of ${RUNS} (${thisFirst ? 'this build' : 'the other'} first): ${figures.join('; ')}`);
  }
  console.log('');
  console.log(`| scenario | runs | req/s, this / other | µs CPU per request, this / other |`);
  console.log('| --- | ---: | ---: | ---: |');
  for (const [scenario, { rps, cpu }] of runs) {
    const figure = (values: number[]) =>
      `${geometricMean(values).toFixed(3)} ± ${(geometricMean(values) * standardError(values)).toFixed(3)}`;
    console.log(`| ${scenario} | ${rps.length} | ${figure(rps)} | ${figure(cpu)} |`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
