import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tsImport } from 'tsx/esm/api';
import { buildAdminPage } from '../../scripts/build-admin.mjs';
import bundleEsmOnlyPackages from './esm-only.mjs';

/** The server compiled for tests that run it as a process of its own (test/support/server-process.ts). */
export const SERVER_BUILD_DIR = 'node_modules/.cache/jest/server';

/** Shared by the e2e and fault projects: a run that selects both starts the stack once. */
export default async function globalSetup() {
  if (globalThis.__stopTestStack) return;
  globalThis.__stopTestStack = async () => undefined;
  bundleEsmOnlyPackages();
  // The local pool's package runs from its build (dist/), as under `npm start`: esbuild, well under a second.
  execFileSync(process.execPath, ['packages/local-cognito/build.mjs'], { stdio: 'inherit' });
  const compiled = compileServer();
  // The server refuses to start without the /admin page's bundle; tests serve the current sources,
  // both from the sources (in-process servers) and from the compiled server (server processes).
  await buildAdminPage();
  await buildAdminPage(`${SERVER_BUILD_DIR}/dist/admin`);
  // Node's own loader (used for this file) cannot resolve the sources' ".js" imports of ".ts" files; tsx can.
  const stack = await tsImport('./test-stack.ts', import.meta.url);
  globalThis.__stopTestStack = stack.stopTestStack;
  await Promise.all([stack.startTestStack(), compiled]);
}

/**
 * Compiles src/, migrations/ and dev/local/ (npm start's entry point, which loads the local pool's package build) without type checking (`npm run check` does that), beside the
 * project's own dist/ so that `npm start` and the tests never overwrite each other's build.
 */
function compileServer() {
  mkdirSync(SERVER_BUILD_DIR, { recursive: true });
  // Inside node_modules no package.json of ours applies: say that these files are ES modules.
  writeFileSync(`${SERVER_BUILD_DIR}/package.json`, '{ "type": "module" }\n');
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [
    '-p',
    'tsconfig.dev.json',
    '--noCheck',
    '--outDir',
    SERVER_BUILD_DIR,
    '--tsBuildInfoFile',
    `${SERVER_BUILD_DIR}/.tsbuildinfo`,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsc, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`Compiling the server for the tests failed:\n${output}`))));
  });
}
