// The local Cognito pool's public entry: start, seed and stop a pool (README.md says how).
export { startLocalPool, type RunningLocalPool, type SeededLocalPool, type StartLocalPoolOptions } from './start-pool.js';
export { startLocalCognito, type LocalCognito, type LocalCognitoOptions } from './local-cognito.js';
export { startCognitoEmulator, type CognitoEmulator } from './cognito-emulator.js';
export {
  emulatorClient,
  ensureUser,
  LOCAL_ADMIN_GROUP,
  LOCAL_POOL_NAME,
  LOCAL_POOLS,
  LOCAL_REGION,
  LOCAL_SERVICE_SCOPES,
  LOCAL_STAFF_POOL_NAME,
  SEED_USERS,
  seedLocalPool,
  STAFF_SEED_USERS,
  type LocalPool,
  type LocalPoolSeed,
  type SeedUser,
} from './seed-pool.js';
export type { SeededUserHint } from './hosted-ui-page.js';
export { EMULATOR_KEY_ID } from './signing-key.js';
export { DEFAULT_RELYING_PARTY_ID } from './passkeys.js';
export { assertPortFree, DEFAULT_POOL_PORT, LocalPoolStartError, localPort, portInUse } from './ports.js';
export { freePort } from './free-port.js';
export { secretHash } from './secret-hash.js';
