import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { EMULATOR_CONFIG, startCognitoEmulator } from './cognito-emulator.js';
import { EmulatorState } from './emulator-state.js';
import { freePort } from './free-port.js';
import { Outbox } from './outbox.js';
import { VerificationCodes } from './verification-codes.js';
import type { SeededUserHint } from './hosted-ui-page.js';
import { poolFrontHandler } from './pool-front.js';
import { relyingPartyIdProblem } from './passkeys.js';
import { LocalPoolStartError, portInUse } from './ports.js';

export interface LocalCognito {
  /** The pool's public base URL (issuerBase): COGNITO_ENDPOINT, the issuer's prefix, the Hosted UI. */
  endpoint: string;
  stop: () => Promise<void>;
}

export interface LocalCognitoOptions {
  /** Where the front listens: 127.0.0.1, or 0.0.0.0 in a container whose port is published on the host's loopback. */
  host?: string;
  /**
   * The base URL in every token's issuer, default http://127.0.0.1:<port>. In a container it is the
   * address the backend reaches the pool at (compose: http://cognito:9229): the API expects one issuer.
   */
  issuerBase?: string;
  /** The setting that moves `port`, named when the port is taken. */
  portVariable?: string;
  /** The pool's clock in milliseconds (sessions, rotation grace periods): tests may move it instead of waiting. */
  now?: () => number;
  /** Prints each message of the outbox as it is sent (one line): `npm start` shows the codes in its output. */
  onMessage?: (line: string) => void;
  /**
   * A pre-token-generation hook: the path (from the working directory) of a JavaScript module whose
   * default export or `handler` gets Cognito's version 2 event (version 3 for client credentials).
   * Default: the LOCAL_PRE_TOKEN_HOOK environment variable.
   */
  preTokenHook?: string;
  /**
   * The relying party id of passkeys: the host name of the pages that register and use them (a dev
   * server on http://localhost:<port> uses `localhost`). Default: LOCAL_PASSKEY_RP_ID, else `localhost`.
   */
  relyingPartyId?: string;
}

/**
 * The local pool: cognito-local on a private loopback port, behind a front on `port` that answers
 * what the emulator cannot (SRP sign-in, client credentials, the Hosted UI page). The emulator
 * writes the issuer base into its tokens, as the front does into its own, so every token names one endpoint.
 */
export async function startLocalCognito(
  dir: string,
  port: number,
  users: SeededUserHint[],
  options: LocalCognitoOptions = {},
): Promise<LocalCognito> {
  const host = options.host ?? '127.0.0.1';
  const relyingPartyId = options.relyingPartyId ?? (process.env.LOCAL_PASSKEY_RP_ID?.trim() || undefined);
  const problem = relyingPartyId === undefined ? undefined : relyingPartyIdProblem(relyingPartyId);
  if (problem) throw new LocalPoolStartError(`LOCAL_PASSKEY_RP_ID ${problem}`);
  const endpoint = options.issuerBase?.replace(/\/+$/, '') ?? `http://127.0.0.1:${port}`;
  const front = createServer();
  await new Promise<void>((done, fail) => {
    front.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE' ? portInUse(port, 'the local Cognito pool', options.portVariable ?? 'LOCAL_COGNITO_PORT', host) : error,
      ),
    );
    front.listen({ port, host, exclusive: true }, () => done());
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
  const outbox = new Outbox(join(cwd, 'outbox.json'), options.onMessage);
  const codes = new VerificationCodes(join(cwd, 'verification-codes.json'));
  const handler = poolFrontHandler({
    emulatorUrl: emulator.endpoint,
    issuerBase: endpoint,
    state,
    users,
    outbox,
    codes,
    // Beside the emulator's files, in a folder it does not read as a pool: the compose stack's volume keeps both.
    storeDir: join(cwd, '.cognito', 'db', 'local'),
    now: options.now,
    preTokenHook: options.preTokenHook ?? (process.env.LOCAL_PRE_TOKEN_HOOK?.trim() || undefined),
    relyingPartyId,
  });
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
