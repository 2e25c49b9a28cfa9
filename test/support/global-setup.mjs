import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { buildAdminPage } from '../../scripts/build-admin.mjs';

/** Where jest.config.js maps `jose` (see there). */
export const JOSE_CJS = 'node_modules/.cache/jest/jose.cjs';

export default async function globalSetup() {
  // jwks-rsa (CommonJS) requires jose (ESM only). Node allows that, but Jest's module runtime only
  // does on Node 24.9+, so tests load the real jose re-bundled as CommonJS.
  buildSync({
    entryPoints: [fileURLToPath(import.meta.resolve('jose'))],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outfile: JOSE_CJS,
    logLevel: 'error',
  });
  // The server refuses to start without the /admin page's bundle; tests serve the current sources.
  await buildAdminPage();
  // Node's own loader (used for this file) cannot resolve the sources' ".js" imports of ".ts" files; tsx can.
  const stack = await tsImport('./test-stack.ts', import.meta.url);
  globalThis.__stopTestStack = stack.stopTestStack;
  await stack.startTestStack();
}
