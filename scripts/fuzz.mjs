// `npm run fuzz -- --runs 5000 [--seed 123] [--path "4:2:1"]`: the fuzz spec of `npm test`
// (test/fuzz.e2e-spec.ts) with a larger budget. It prints the seed; a failure prints the seed and
// the path of the smallest failing request, which --seed and --path replay.
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5000' }, seed: { type: 'string' }, path: { type: 'string' } },
});
const env = { ...process.env, FUZZ_RUNS: values.runs };
if (values.seed !== undefined) env.FUZZ_SEED = values.seed;
if (values.path !== undefined) env.FUZZ_PATH = values.path;

const jest = [
  '--experimental-vm-modules',
  'node_modules/jest/bin/jest.js',
  '--selectProjects',
  'e2e',
  '--runTestsByPath',
  'test/fuzz.e2e-spec.ts',
];
const result = spawnSync(process.execPath, jest, { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
