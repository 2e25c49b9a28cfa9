// `npm run lint:doc-drift`: the docs name every variable the configuration reads and every error code
// the API can answer. Prints exactly what is missing where, and exits 1 when anything is.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envNamesRead, errorCodes, Found, notAssigned, notMentioned, SourceText } from './doc-drift.js';

const CONFIG_DIR = 'src/config';
const CONFIGURATION_DOC = 'docs/configuration.md';
const ENV_EXAMPLE = '.env.example';
const ERRORS_DOC = 'docs/errors.md';

function sources(dir: string, skip: (path: string) => boolean): SourceText[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !skip(path))
    .sort()
    .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

const list = (found: Found[]) => found.map((f) => `  ${f.name}  (${f.where})`).join('\n');
const failures: string[] = [];

const variables = sources(CONFIG_DIR, () => false).flatMap(envNamesRead);
const undocumented = notMentioned(readFileSync(CONFIGURATION_DOC, 'utf8'), variables);
if (undocumented.length)
  failures.push(`${CONFIGURATION_DOC} does not mention these variables, read in ${CONFIG_DIR}/:\n${list(undocumented)}`);
const unexampled = notAssigned(readFileSync(ENV_EXAMPLE, 'utf8'), variables);
if (unexampled.length) failures.push(`${ENV_EXAMPLE} has no NAME= line (commented out or not) for:\n${list(unexampled)}`);

const { codes, problems } = errorCodes(sources('src', (path) => path.startsWith(join('src', 'admin', 'web'))));
if (problems.length) failures.push(`Error codes that cannot be read from the source:\n${problems.map((p) => `  ${p}`).join('\n')}`);
const errorsDoc = readFileSync(ERRORS_DOC, 'utf8');
const unlisted = codes.filter((code) => !errorsDoc.includes(`\`${code.name}\``));
if (unlisted.length) failures.push(`${ERRORS_DOC} does not list these error codes (as \`code\`):\n${list(unlisted)}`);

if (failures.length) {
  console.error(failures.join('\n\n'));
  process.exit(1);
}
console.log(`Docs in step: ${variables.length} variables, ${codes.length} error codes.`);
