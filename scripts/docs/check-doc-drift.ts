// `npm run lint:doc-drift`: the docs name every variable the configuration reads and every error code
// the API can answer, and name none that are gone. Prints exactly what is wrong where; exits 1 then.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpStatus } from '@nestjs/common';
import { loadConfig } from '../../src/config/load-config.js';
import {
  envNamesRead,
  envNamesReadBy,
  errorCodes,
  Found,
  notAssigned,
  notMentioned,
  SourceText,
  tableNames,
  tableRows,
} from './doc-drift.js';

const CONFIG_DIR = 'src/config/';
// `npm start`'s launcher, and the local pool's server and CLIs (`npm run token`, `npm run user`).
const DEV_TOOL_DIRS = ['dev/local/', 'packages/local-cognito/src/'];
const README = 'README.md';
const README_MAX_LINES = 200;
const CONFIGURATION_DOC = 'docs/configuration.md';
const SERVER_SECTION = '## The server';
const ENV_EXAMPLE = '.env.example';
const ERRORS_DOC = 'docs/errors.md';
const CODES_SECTION = '## Every code';

function sources(dir: string, skip: (path: string) => boolean): SourceText[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !skip(path))
    .sort()
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

function union(...lists: Found[][]): Found[] {
  const all = new Map<string, Found>();
  for (const found of lists.flat()) if (!all.has(found.name)) all.set(found.name, found);
  return [...all.values()];
}

const list = (found: Found[]) => found.map((f) => `  ${f.name}  (${f.where})`).join('\n');
const failures: string[] = [];

const variables = union(envNamesReadBy(loadConfig, CONFIG_DIR), ...sources(CONFIG_DIR, () => false).map(envNamesRead));
const configurationDoc = readFileSync(CONFIGURATION_DOC, 'utf8');
const undocumented = notMentioned(configurationDoc, variables);
if (undocumented.length)
  failures.push(`${CONFIGURATION_DOC} does not mention these variables, read in ${CONFIG_DIR}:\n${list(undocumented)}`);
const unexampled = notAssigned(readFileSync(ENV_EXAMPLE, 'utf8'), variables);
if (unexampled.length) failures.push(`${ENV_EXAMPLE} has no NAME= line (commented out or not) for:\n${list(unexampled)}`);
for (const dir of DEV_TOOL_DIRS.filter((dir) => !existsSync(dir))) {
  failures.push(`${dir} is gone: update DEV_TOOL_DIRS in scripts/docs/check-doc-drift.ts`);
}
const devToolVariables = union(
  ...DEV_TOOL_DIRS.filter((dir) => existsSync(dir)).flatMap((dir) => sources(dir, () => false).map(envNamesRead)),
);
const undocumentedDevTools = notMentioned(configurationDoc, devToolVariables);
if (undocumentedDevTools.length) {
  failures.push(
    `${CONFIGURATION_DOC} does not mention these variables, read by the dev tools (${DEV_TOOL_DIRS.join(', ')}):\n${list(undocumentedDevTools)}`,
  );
}
const serverRows = tableNames(configurationDoc, SERVER_SECTION);
if (!serverRows) failures.push(`${CONFIGURATION_DOC} has no "${SERVER_SECTION}" section: its table lists what ${CONFIG_DIR} reads`);
const gone = (serverRows ?? []).filter((name) => !name.includes('<') && !variables.some((v) => v.name === name));
if (gone.length)
  failures.push(`${CONFIGURATION_DOC} "${SERVER_SECTION}" lists variables ${CONFIG_DIR} never reads:\n  ${gone.join('\n  ')}`);

const statusNames = Object.fromEntries(
  Object.entries(HttpStatus).filter((entry): entry is [string, number] => typeof entry[1] === 'number'),
);
const { codes, problems } = errorCodes(
  sources('src', (path) => path.startsWith(join('src', 'admin', 'web'))),
  statusNames,
);
if (problems.length) failures.push(`Error codes that cannot be read from the source:\n${problems.map((p) => `  ${p}`).join('\n')}`);
const errorsDoc = readFileSync(ERRORS_DOC, 'utf8');
const listed = tableNames(errorsDoc, CODES_SECTION, 1);
if (!listed) failures.push(`${ERRORS_DOC} has no "${CODES_SECTION}" section: its table lists every code`);
const unlisted = codes.filter((code) => !listed?.includes(code.name));
if (unlisted.length) failures.push(`${ERRORS_DOC} "${CODES_SECTION}" does not list these error codes:\n${list(unlisted)}`);
const wrongStatus = (tableRows(errorsDoc, CODES_SECTION) ?? []).flatMap((cells) =>
  codes
    .filter(
      (code) => code.statuses.length > 0 && (cells[1] ?? '').includes(`\`${code.name}\``) && !code.statuses.includes(Number(cells[0])),
    )
    .map((code) => `  ${code.name}: listed as ${cells[0]}, answered with ${code.statuses.join(' or ')} (${code.where})`),
);
if (wrongStatus.length) failures.push(`${ERRORS_DOC} "${CODES_SECTION}" gives the wrong status:\n${wrongStatus.join('\n')}`);
const stale = (listed ?? []).filter((name) => !codes.some((code) => code.name === name));
if (stale.length) failures.push(`${ERRORS_DOC} "${CODES_SECTION}" lists codes the API never answers:\n  ${stale.join('\n  ')}`);

const readme = readFileSync(README, 'utf8');
const readmeLines = readme.trimEnd().split('\n').length;
const unlinkedPages = readdirSync('docs').filter((page) => page.endsWith('.md') && !readme.includes(`](docs/${page}`));
if (unlinkedPages.length)
  failures.push(`${README} does not link these pages of docs/ (its "Read on" table should):\n  ${unlinkedPages.join('\n  ')}`);
if (readmeLines >= README_MAX_LINES) {
  failures.push(`${README} has ${readmeLines} lines: it is the two-minute tour, under ${README_MAX_LINES}; move the rest to docs/`);
}

if (failures.length) {
  console.error(failures.join('\n\n'));
  process.exit(1);
}
console.log(
  `Docs in step: ${variables.length} server variables, ${devToolVariables.length} of the dev tools, ${codes.length} error codes.`,
);
