import { Injectable, OnModuleInit } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PageFile {
  body: Buffer;
  type: string;
  etag: string;
}

/** What scripts/build-admin.mjs writes to dist/admin; nothing else there is ever served. */
const FILES: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

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

/** The /admin page's built files, read once at start; a missing build stops the start with a clear message. */
@Injectable()
export class AdminPageFiles implements OnModuleInit {
  private readonly files = new Map<string, PageFile>();

  onModuleInit(): void {
    const missing = Object.keys(FILES).filter((name) => !existsSync(join(ADMIN_PAGE_DIR, name)));
    if (missing.length > 0) {
      throw new Error(`The /admin page is not built (${missing.join(', ')} missing in ${ADMIN_PAGE_DIR}): run \`npm run build\`.`);
    }
    for (const [name, type] of Object.entries(FILES)) {
      const body = readFileSync(join(ADMIN_PAGE_DIR, name));
      this.files.set(name, { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` });
    }
  }

  get(name: string): PageFile | undefined {
    return this.files.get(name);
  }
}
