// The compose stack on an engine without bridge networking (as in CI: dockerd --bridge=none), with
// Debian's docker-compose (v1): docker/compose.yml plus docker/compose.ci.yml, without the published
// ports. Compose v1 refuses published ports on the host's network, and an override file cannot remove
// them, so this renders both files (`docker-compose config`), drops every service's `ports`, and runs
// docker-compose on the result with the arguments given:
//   node scripts/docker/compose-host-network.mjs up --build --detach
//   node scripts/docker/compose-host-network.mjs down --volumes
// The project is named cognito-backend unless COMPOSE_PROJECT_NAME says otherwise.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump, load } from 'js-yaml';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = ['-f', join(ROOT, 'docker/compose.yml'), '-f', join(ROOT, 'docker/compose.ci.yml')];

const project = process.env.COMPOSE_PROJECT_NAME || 'cognito-backend';
// Paths come out absolute, and the environment's ports and images are filled in.
const config = load(execFileSync('docker-compose', [...FILES, 'config'], { encoding: 'utf8' }));
for (const service of Object.values(config.services)) delete service.ports;

const dir = mkdtempSync(join(tmpdir(), 'compose-host-network-'));
try {
  writeFileSync(join(dir, 'compose.yml'), dump(config));
  const result = spawnSync('docker-compose', ['-p', project, '-f', join(dir, 'compose.yml'), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  process.exitCode = result.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
