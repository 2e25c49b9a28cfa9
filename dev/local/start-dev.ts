import '../../src/common/require-supported-node.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { startLocalStack } from './local-stack.js';
import { LocalStackError, localPort } from './start-checks.js';

/** What `npm run build:dev` compiled; `tsc -w` below keeps it current. */
const SERVER = 'dist/src/main.js';

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/**
 * `npm run start:dev`: the local stack (embedded PostgreSQL, the Cognito emulator) started once and
 * kept, the TypeScript compiler watching src/, and the server restarted by `node --watch` whenever
 * its compiled files change. The server is the production entry (dist/src/main.js) run against the
 * stack's environment, so a restart keeps the database, the pool and every port.
 */
async function main(): Promise<void> {
  const apiPort = localPort(process.env, 'PORT', 8000);
  const say = (line: string) => console.log(`[dev] ${line}`);
  const stack = await startLocalStack({
    apiPort,
    env: process.env,
    log: say,
  });
  for (const [name, pool] of Object.entries(stack.info?.pools ?? {})) {
    for (const user of pool.users) {
      say(
        `Local pool ${name} user: ${user.username} / ${user.password}${user.groups.length ? `  (groups: ${user.groups.join(', ')})` : ''}`,
      );
    }
  }

  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const children = [
    spawn(process.execPath, [tsc, '-w', '-p', 'tsconfig.dev.json', '--preserveWatchOutput'], { stdio: 'inherit' }),
    spawn(process.execPath, ['--watch', '--watch-preserve-output', SERVER], {
      env: { LOG_FORMAT: 'pretty', ...stack.env, PORT: String(apiPort) },
      stdio: 'inherit',
    }),
  ];
  say(`Watching src/: http://localhost:${apiPort} restarts on every change (Ctrl-C stops everything)`);

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(children.map(stopChild));
    await stack.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  // The compiler or the watcher gone (not a restart of the server, which the watcher does): stop all.
  for (const child of children) child.once('exit', () => void stop(1));
}

main().catch((error: unknown) => {
  // A refusal we can explain is one line; anything else keeps its stack for whoever debugs it.
  console.error(error instanceof LocalStackError ? error.message : error);
  process.exit(1);
});
