// `npm run lint:openapi` (part of `npm run check`): the served OpenAPI document, built without a
// database or pool (scripts/openapi-document.ts), linted by Redocly with redocly.yaml's rules.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUILD_DIR = 'node_modules/.cache/openapi';
const require = createRequire(import.meta.url);

function run(args) {
  // Redocly: no usage reports, no update check (CI has no network to spare).
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const result = spawnSync(process.execPath, args, { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Type checking is `npm run typecheck`'s job; this only needs JavaScript with decorator metadata.
mkdirSync(BUILD_DIR, { recursive: true });
// Inside node_modules no package.json of ours applies: say that these files are ES modules.
writeFileSync(join(BUILD_DIR, 'package.json'), '{ "type": "module" }\n');
run([
  require.resolve('typescript/bin/tsc'),
  ...['-p', 'tsconfig.json', '--noCheck', '--outDir', BUILD_DIR, '--tsBuildInfoFile', join(BUILD_DIR, '.tsbuildinfo')],
]);

const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
try {
  const document = join(dir, 'openapi.json');
  run([join(BUILD_DIR, 'scripts', 'openapi-document.js'), document]);
  run([require.resolve('@redocly/cli/bin/cli.js'), 'lint', document, '--config', 'redocly.yaml']);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
