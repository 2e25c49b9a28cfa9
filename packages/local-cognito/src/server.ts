import { startLocalCognito } from './local-cognito.js';
import { LOCAL_POOLS } from './seed-pool.js';
import { DEFAULT_POOL_PORT, LocalPoolStartError, localPort } from './ports.js';

/**
 * The local pool alone, as `npm start` runs it (the emulator behind its front), configured by the
 * environment: the compose stack's `cognito` service (docker/Dockerfile, target cognito-emulator).
 * It seeds nothing: the pool is the state already in DATA_DIR/.cognito/db (compose: docker/cognito/db).
 *
 *   HOST         where the front listens: default 127.0.0.1 (a container: 0.0.0.0)
 *   PORT         its port: default 9229
 *   ISSUER_BASE  the tokens' issuer base, the address the API reaches the pool at: default http://127.0.0.1:<PORT>
 *   DATA_DIR     the folder holding .cognito/: default the working directory
 */
async function main(): Promise<void> {
  const env = process.env;
  const port = localPort(env, 'PORT', DEFAULT_POOL_PORT);
  const host = env.HOST?.trim() || '127.0.0.1';
  const issuerBase = env.ISSUER_BASE?.trim() || undefined;
  if (issuerBase !== undefined && !/^https?:\/\/[^/?#]+\/?$/.test(issuerBase)) {
    throw new LocalPoolStartError(`ISSUER_BASE must be an http(s) origin such as http://cognito:9229 (got "${issuerBase}").`);
  }
  const users = LOCAL_POOLS.flatMap((pool) =>
    pool.users.map(({ username, password, groups }) => ({ username, password, groups, poolName: pool.name })),
  );
  const pool = await startLocalCognito(env.DATA_DIR?.trim() || '.', port, users, {
    host,
    issuerBase,
    portVariable: 'PORT',
    onMessage: (line) => console.log(line),
  });
  console.log(`Local Cognito pool on ${host}:${port}, issuer ${pool.endpoint}/<pool id>`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    pool.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  // In a container this is process 1, which the kernel gives no default handlers: without these, SIGTERM does nothing.
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof LocalPoolStartError ? error.message : error);
  process.exit(1);
});
