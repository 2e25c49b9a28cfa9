import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { EMULATOR_CONFIG, startCognitoEmulator } from './cognito-emulator.js';
import { EmulatorState } from './emulator-state.js';
import { freePort } from './free-port.js';
import type { SeededUserHint } from './hosted-ui-page.js';
import { poolFrontHandler } from './pool-front.js';
import { portInUse } from './start-checks.js';

export interface LocalCognito {
  /** http://127.0.0.1:<port>: the pool's endpoint (COGNITO_ENDPOINT, the issuer's base, the Hosted UI). */
  endpoint: string;
  stop: () => Promise<void>;
}

/**
 * The local pool: cognito-local on a private loopback port, behind a front on `port` that answers
 * what the emulator cannot (SRP sign-in, client credentials, the Hosted UI page). The emulator
 * writes the front's address into its tokens' issuer, so every token names the one endpoint.
 */
export async function startLocalCognito(dir: string, port: number, users: SeededUserHint[]): Promise<LocalCognito> {
  const endpoint = `http://127.0.0.1:${port}`;
  const front = createServer();
  await new Promise<void>((done, fail) => {
    front.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'EADDRINUSE' ? portInUse(port, 'the local Cognito pool', 'LOCAL_COGNITO_PORT') : error),
    );
    front.listen({ port, host: '127.0.0.1', exclusive: true }, () => done());
  });

  const cwd = resolve(dir);
  let emulator;
  try {
    emulator = await startCognitoEmulator(cwd, await freePort(), { ...EMULATOR_CONFIG, TokenConfig: { IssuerDomain: endpoint } });
  } catch (error) {
    await close(front);
    throw error;
  }
  const state = new EmulatorState(join(cwd, '.cognito', 'db'));
  const handler = poolFrontHandler({ emulatorUrl: emulator.endpoint, issuerBase: endpoint, state, users });
  // No kept-alive connections: a client reusing one just as it times out here gets a reset (seen on Node 24).
  front.on('request', (req, res) => {
    res.shouldKeepAlive = false;
    handler(req, res);
  });
  const stopEmulator = emulator.stop;
  return {
    endpoint,
    stop: async () => {
      await close(front);
      await stopEmulator();
    },
  };
}

function close(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}
