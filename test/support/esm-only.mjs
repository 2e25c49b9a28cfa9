import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';

/** Where jest.config.js maps each ESM-only package that CommonJS code require()s (see there). */
export const CJS_CACHE = 'node_modules/.cache/jest';

/**
 * ESM-only packages required by CommonJS dependencies: jose by jwks-rsa, content-disposition by
 * @fastify/static (Swagger UI's files). Keep in step with moduleNameMapper in jest.config.js.
 */
export const ESM_ONLY = ['jose', 'content-disposition'];

/**
 * Node allows require() of ESM, but Jest's module runtime only does on Node 24.9+, so tests load
 * the real packages re-bundled as CommonJS.
 */
export default function bundleEsmOnlyPackages() {
  for (const name of ESM_ONLY) {
    buildSync({
      entryPoints: [fileURLToPath(import.meta.resolve(name))],
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node22',
      outfile: `${CJS_CACHE}/${name}.cjs`,
      logLevel: 'error',
    });
  }
}
