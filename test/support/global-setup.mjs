import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { buildAdminPage } from '../../scripts/build-admin.mjs';

/** Where jest.config.js maps each ESM-only package that CommonJS code require()s (see there). */
export const CJS_CACHE = 'node_modules/.cache/jest';

/**
 * ESM-only packages required by CommonJS dependencies: jose by jwks-rsa, content-disposition by
 * @fastify/static (Swagger UI's files). Keep in step with moduleNameMapper in jest.config.js.
 */
export const ESM_ONLY = ['jose', 'content-disposition'];

export default async function globalSetup() {
  // Node allows require() of ESM, but Jest's module runtime only does on Node 24.9+, so tests load
  // the real packages re-bundled as CommonJS.
  for (const name of ESM_ONLY) {
    buildSync({
      entryPoints: [fileURLToPath(import.meta.resolve(name))],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      outfile: `${CJS_CACHE}/${name}.cjs`,
      logLevel: 'error',
    });
  }
  // The server refuses to start without the /admin page's bundle; tests serve the current sources.
  await buildAdminPage();
  // Node's own loader (used for this file) cannot resolve the sources' ".js" imports of ".ts" files; tsx can.
  const stack = await tsImport('./test-stack.ts', import.meta.url);
  globalThis.__stopTestStack = stack.stopTestStack;
  await stack.startTestStack();
}
