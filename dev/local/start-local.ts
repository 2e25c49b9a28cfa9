import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { startApp } from '../../src/app.js';
import { closeOnSignals } from '../../src/common/shutdown.js';
import { ConfigError, loadConfig } from '../../src/config/load-config.js';
import { runMigrations } from '../../src/database/migrate.js';
import { startLocalStack } from './local-stack.js';

/** `npm start`: the API with embedded defaults for whatever the environment does not configure. */
async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = Date.now();
  const apiPort = Number(process.env.PORT ?? 8000);
  const say = (line: string) => console.log(`[local] ${line}`);
  const stack = await startLocalStack({ apiPort, env: process.env, log: say });
  // Until the API listens, a signal only has the embedded parts to stop.
  const abort = () => void stack.stop().finally(() => process.exit(1));
  process.once('SIGINT', abort);
  process.once('SIGTERM', abort);

  let ready = say;
  try {
    const config = loadConfig({ LOG_FORMAT: 'pretty', ...stack.env });
    const applied = await runMigrations(config.databaseUrl);
    if (applied.length > 0) say(`Applied migrations: ${applied.join(', ')}`);
    const app = await startApp(config);
    process.off('SIGINT', abort);
    process.off('SIGTERM', abort);
    closeOnSignals(app, config.shutdownTimeoutMs, stack.stop);
    // Through the app's logger, so that these lines come after its start-up lines, not among them.
    const logger = new Logger('local');
    ready = (line: string) => logger.log(line);
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error);
    await stack.stop();
    process.exit(1);
  }

  const base = `http://localhost:${apiPort}`;
  ready(`Ready in ${((Date.now() - started) / 1000).toFixed(1)}s: ${base} (API docs: ${base}/api/docs)`);
  if (stack.info) {
    ready('Local pool users (username / password):');
    for (const user of stack.info.users) {
      ready(`  ${user.username} / ${user.password}${user.groups.length ? `  (groups: ${user.groups.join(', ')})` : ''}`);
    }
    ready(`Try: curl -H "Authorization: Bearer $(npm run -s token -- alice)" ${base}/api/v1/me`);
    ready(`Admin page: ${base}/admin (sign in as admin to manage users)`);
  }
}

void main();
