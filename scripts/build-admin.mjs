// Bundles the /admin page (src/admin/web) into dist/admin, which the server serves at /admin.
// Part of `npm run build`; the test setup calls buildAdminPage() too, so tests serve the current sources.
import { build } from 'esbuild';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE = join(ROOT, 'src', 'admin', 'web');

export async function buildAdminPage(outdir = join(ROOT, 'dist', 'admin')) {
  await mkdir(outdir, { recursive: true });
  await build({
    entryPoints: [
      { in: join(SOURCE, 'main.ts'), out: 'app' },
      { in: join(SOURCE, 'styles.css'), out: 'app' },
    ],
    outdir,
    bundle: true,
    format: 'esm',
    // Browsers with <dialog>, :focus-visible and top-level await; admins' browsers are current.
    target: ['chrome111', 'firefox111', 'safari16.4', 'edge111'],
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'favicon.svg']) await copyFile(join(SOURCE, file), join(outdir, file));
  return outdir;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const outdir = await buildAdminPage();
  console.log(`Built the /admin page into ${outdir}`);
}
