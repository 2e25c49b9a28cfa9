import '../../src/common/require-supported-node.js';
import { LocalStackError, localPort, preflight } from './start-checks.js';

/** `npm start`: the API with embedded defaults for whatever the environment does not configure. */
async function main(): Promise<void> {
  const started = Date.now();
  const apiPort = localPort(process.env, 'PORT', 8000);
  const say = (line: string) => console.log(`[local] ${line}`);
  const release = await preflight(process.env, apiPort);
  process.once('exit', release);

  // Loaded only once the checks passed: a refusal should not wait for NestJS and the AWS SDK.
  await import('reflect-metadata');
  const { Logger } = await import('@nestjs/common');
  const { startApp } = await import('../../src/app.js');
  const { closeOnSignals } = await import('../../src/common/shutdown.js');
  const { ConfigError, loadConfig } = await import('../../src/config/load-config.js');
  const { runMigrations } = await import('../../src/database/migrate.js');
  const { startLocalStack } = await import('./local-stack.js');

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
    closeOnSignals(app, { drainMs: config.shutdownDrainMs, timeoutMs: config.shutdownTimeoutMs }, stack.stop);
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
    for (const [name, pool] of Object.entries(stack.info.pools)) {
      ready(`Users of the local pool ${name} (username / password):`);
      for (const user of pool.users) {
        ready(`  ${user.username} / ${user.password}${user.groups.length ? `  (groups: ${user.groups.join(', ')})` : ''}`);
      }
    }
    ready(`Try: curl -H "Authorization: Bearer $(npm run -s token -- alice)" ${base}/api/v1/me`);
    ready(`     (the pool staff: npm run -s token -- sam --pool staff)`);
    ready(`Admin page: ${base}/admin (sign in as admin to manage users)`);
    ready(
      `SPAs: point Amplify's userPoolEndpoint (amazon-cognito-identity-js: endpoint) at ${stack.info.endpoint}; web client ${stack.info.webClientId}`,
    );
    ready(`Machine token (client credentials, scope backend/users.read): npm run -s token -- --client service`);
  }
}

main().catch((error: unknown) => {
  // A refusal we can explain is one line; anything else keeps its stack for whoever debugs it.
  console.error(error instanceof LocalStackError ? error.message : error);
  process.exit(1);
});
