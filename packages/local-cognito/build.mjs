// Compiles the entries to dist/ (one ES module each, dependencies left to node_modules): what
// `node` runs (the backend's `npm start`, the compose stack's pool image); types come from src/.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/index.ts', 'src/server.ts', 'src/cli/token.ts', 'src/cli/user.ts'],
  absWorkingDir: import.meta.dirname,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node22',
  logLevel: 'warning',
});
