// Builds the images the Docker suite (npm run test:docker) runs: a Node 24 base (NODE_IMAGE if set,
// else one made by node-base.sh, which pulls nothing from an image registry), then the production
// image and the Cognito emulator's from docker/Dockerfile, and the Debian images of the compose stacks. Builds use the host's network: the engine
// may run without a bridge. `node scripts/docker/images.mjs` builds them and prints their tags.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BACKEND_IMAGE = 'cognito-backend:test';
export const EMULATOR_IMAGE = 'cognito-backend-emulator:test';
/** The image docker/compose.ci.yml names for PostgreSQL; built here beside the others, so that compose finds it built. */
export const POSTGRES_IMAGE = 'cognito-backend-postgres-debian';
/** PgBouncer and HAProxy from Debian, for docker/compose.scale.yml (the names it uses by default). */
export const PGBOUNCER_IMAGE = 'cognito-backend-pgbouncer-debian';
export const LB_IMAGE = 'cognito-backend-haproxy-debian';

/** Runs a command from the repository root; its output is shown only when it fails. */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk) => ((stdout += chunk), (output += chunk)));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout.trim()) : reject(new Error(`${command} ${args.join(' ')} failed (exit ${code}):\n${output}`)),
    );
  });
}

async function timed(label, task) {
  const started = Date.now();
  const result = await task();
  console.log(`docker: ${label} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return result;
}

export async function buildImages() {
  await run('docker', ['version', '--format', '{{.Server.Version}}']).catch((error) => {
    throw new Error(`No Docker engine answers (${error.message.split('\n')[1] ?? error.message}). CI starts one: see .ci/run.`);
  });
  const nodeImage = process.env.NODE_IMAGE || (await timed('Node base image', () => run('bash', ['scripts/docker/node-base.sh'])));
  const build = (target, tag) =>
    run('docker', [
      'build',
      '--network',
      'host',
      '--file',
      'docker/Dockerfile',
      '--build-arg',
      `NODE_IMAGE=${nodeImage}`,
      '--target',
      target,
      '--tag',
      tag,
      '.',
    ]);
  // Side by side: the Debian images (PostgreSQL, PgBouncer, HAProxy) mostly wait for Debian's mirror, the others for npm and the CPU.
  const debianImage = (tag, context) =>
    timed(`image ${tag}`, () =>
      run('docker', ['build', '--network', 'host', '--build-arg', `BASE_IMAGE=${nodeImage}`, '--tag', tag, context]),
    );
  // One after the other: each mostly waits for Debian's mirror.
  const debian = (async () => {
    await debianImage(POSTGRES_IMAGE, 'docker/postgres-debian');
    await debianImage(PGBOUNCER_IMAGE, 'docker/pgbouncer-debian');
    await debianImage(LB_IMAGE, 'docker/haproxy-debian');
  })();
  const application = (async () => {
    await timed(`production image ${BACKEND_IMAGE}`, () => build('runtime', BACKEND_IMAGE));
    await timed(`emulator image ${EMULATOR_IMAGE}`, () => build('cognito-emulator', EMULATOR_IMAGE));
  })();
  await Promise.all([application, debian]);
  return { nodeImage, backend: BACKEND_IMAGE, emulator: EMULATOR_IMAGE };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildImages());
}
