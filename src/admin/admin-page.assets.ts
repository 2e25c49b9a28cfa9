import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What scripts/build-admin.mjs writes to dist/admin. */
const PAGE_FILES = ['index.html', 'app.js', 'app.css', 'favicon.svg'];

/** The folder holding package.json, found from this file whether it runs from src/ (tests) or dist/src/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the admin module');
    dir = parent;
  }
  return dir;
}

export const ADMIN_PAGE_DIR = join(packageRoot(), 'dist', 'admin');

/**
 * Serves the /admin page's built files with @fastify/static: the assets under /admin/assets/, and
 * `reply.sendFile()` for the page itself (see AdminPageController). Routes exist only for the files
 * present at start (no wildcard), minus the page and source maps; a missing build stops the start.
 */
export async function serveAdminPage(app: NestFastifyApplication): Promise<void> {
  const missing = PAGE_FILES.filter((name) => !existsSync(join(ADMIN_PAGE_DIR, name)));
  if (missing.length > 0) {
    throw new Error(`The /admin page is not built (${missing.join(', ')} missing in ${ADMIN_PAGE_DIR}): run \`npm run build\`.`);
  }
  await app.register(fastifyStatic, {
    root: ADMIN_PAGE_DIR,
    prefix: '/admin/assets/',
    wildcard: false,
    globIgnore: ['index.html', '**/*.map'],
    index: false,
    dotfiles: 'deny',
    // Revalidated on every load (cheap, by ETag), so a deploy is seen at once without hashed names.
    cacheControl: false,
    setHeaders: (reply, path) => {
      reply.header('cache-control', 'no-cache');
      // RFC 9239's type for scripts, not the older application/javascript.
      if (path.endsWith('.js')) reply.header('content-type', 'text/javascript; charset=utf-8');
    },
  });
}
