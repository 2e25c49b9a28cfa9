import './common/require-supported-node.js';
import 'reflect-metadata';
import { startApp } from './app.js';
import { closeOnSignals } from './common/shutdown.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import { runMigrations } from './database/migrate.js';

/** Production entry: everything comes from the environment; nothing embedded. */
async function main(): Promise<void> {
  const config = loadConfig();
  await runMigrations(config.databaseUrl);
  const app = await startApp(config);
  closeOnSignals(app, { drainMs: config.shutdownDrainMs, timeoutMs: config.shutdownTimeoutMs });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
