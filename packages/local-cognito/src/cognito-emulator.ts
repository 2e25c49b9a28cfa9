import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

export interface CognitoEmulator {
  /** http://127.0.0.1:<port>: the COGNITO_ENDPOINT, and the issuer's base. */
  endpoint: string;
  stop: () => Promise<void>;
}

// Generous: under a loaded CI machine, loading the emulator alone took 5 s and beside the test setup over 15 s.
const READY_TIMEOUT_MS = 60_000;

/**
 * The emulator's `.cognito/config.json`: plain usernames (alice, admin) instead of its default of
 * emails as usernames. Its issuer is http://<HOST>:<PORT> unless TokenConfig.IssuerDomain says otherwise.
 */
export const EMULATOR_CONFIG = { UserPoolDefaults: { UsernameAttributes: [] } };

/**
 * Runs cognito-local (a devDependency) as a child process on 127.0.0.1 only: it signs with a
 * private key that ships in the package, so it must never be reachable from elsewhere. It keeps
 * its state in `<dir>/.cognito`. The child exits when its stdin closes, i.e. when we die.
 */
export async function startCognitoEmulator(dir: string, port: number, config: object = EMULATOR_CONFIG): Promise<CognitoEmulator> {
  const cwd = resolve(dir);
  mkdirSync(join(cwd, '.cognito'), { recursive: true });
  writeFileSync(join(cwd, '.cognito', 'config.json'), JSON.stringify(config, null, 2));

  const bin = createRequire(import.meta.url).resolve('cognito-local/lib/bin/start.js');
  const child = spawn(
    process.execPath,
    ['--input-type=module', '-e', `process.stdin.on('end', () => process.exit(0)).resume(); await import(${JSON.stringify(bin)});`],
    { cwd, env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DEBUG: '' }, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilListening(endpoint, child, () => output);
  return { endpoint, stop: () => stopChild(child) };
}

async function waitUntilListening(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The Cognito emulator exited (code ${child.exitCode}):\n${output()}`);
    try {
      await fetch(`${endpoint}/health`, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  child.kill();
  throw new Error(`The Cognito emulator did not listen on ${endpoint} within ${READY_TIMEOUT_MS / 1000}s:\n${output()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}
