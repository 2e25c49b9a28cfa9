import 'reflect-metadata';
import { startApp } from '../app.js';
import { ConfigError, loadConfig } from '../config/load-config.js';
import { runMigrations } from '../database/migrate.js';
import { startLocalStack } from './local-stack.js';

/** `npm start`: the API with embedded defaults for whatever the environment does not configure. */
async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = Date.now();
  const apiPort = Number(process.env.PORT ?? 8000);
  const say = (line: string) => console.log(`[local] ${line}`);
  const stack = await startLocalStack({ apiPort, env: process.env, log: say });
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await app?.close().catch(() => undefined);
    await stack.stop();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  let app: Awaited<ReturnType<typeof startApp>> | undefined;
  try {
    const config = loadConfig({ LOG_FORMAT: 'pretty', ...stack.env });
    const applied = await runMigrations(config.databaseUrl);
    if (applied.length > 0) say(`Applied migrations: ${applied.join(', ')}`);
    app = await startApp(config);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    await shutdown(1);
    return;
  }

  const base = `http://localhost:${apiPort}`;
  say(`Ready in ${((Date.now() - started) / 1000).toFixed(1)}s: ${base} (API docs: ${base}/api/docs)`);
  if (stack.info) {
    say('Local pool users (username / password):');
    for (const user of stack.info.users) {
      say(`  ${user.username} / ${user.password}${user.groups.length ? `  (groups: ${user.groups.join(', ')})` : ''}`);
    }
    say(`Try: curl -H "Authorization: Bearer $(npm run -s token -- alice)" ${base}/api/v1/me`);
    say(`Admin page: ${base}/admin (sign in as admin to manage users)`);
  }
}

void main();
