/** One user pool whose tokens the API accepts, with its own issuers, keys, app clients and admin groups. */
export interface CognitoSettings {
  /** `default` for the pool of COGNITO_REGION and COGNITO_USER_POOL_ID; the others are named in COGNITO_POOLS. */
  name: string;
  region: string;
  userPoolId: string;
  /** App clients whose access tokens are accepted. */
  clientIds: string[];
  /** Base URL replacing `https://cognito-idp.<region>.amazonaws.com` (the local emulator). */
  endpoint: string;
  /** The primary issuer: ORIGINAL form of COGNITO_REGION, or `<COGNITO_ENDPOINT>/<poolId>`. */
  issuer: string;
  /** Every `iss` accepted, compared exactly (see issuersOf in load-pools.ts); no two pools share one. */
  issuers: string[];
  /** Regions of multi-Region replicas (COGNITO_REPLICA_REGIONS). */
  replicaRegions: string[];
  jwksUri: string;
  /** Resource server id of this API's custom scopes (COGNITO_RESOURCE_SERVER), e.g. `backend`. */
  resourceServer: string;
  adminGroups: string[];
  /** This API's resource identifier (RFC 8707, COGNITO_AUDIENCE): when set, access tokens must name it in `aud`. */
  audience?: string;
  /** Hosted UI domain (`https://<prefix>.auth.<region>.amazoncognito.com`), for the /admin sign-in (the default pool only). */
  domain?: string;
  webClientId?: string;
}

export interface TokenSettings {
  clockSkewSeconds: number;
  /** Minimum time between two JWKS fetches caused by unknown `kid`s. */
  jwksCooldownMs: number;
  /** Periodic JWKS refresh, so that keys the pool removes stop verifying. */
  jwksRefreshMs: number;
  jwksTimeoutMs: number;
}

export interface UserCacheSettings {
  /** How long a user row read from the database serves requests; changes reach every instance by notification. */
  ttlMs: number;
  /** The shorter lifetime that applies while the notification connection is down (nothing announces changes then). */
  fallbackMs: number;
}

export interface MetricsSettings {
  port: number;
  host: string;
}

/** The validated environment: the one source of truth for every setting. */
export class AppConfig {
  readonly production: boolean;
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  /** The notification (LISTEN) connection's URL: DATABASE_LISTEN_URL, else DATABASE_URL. */
  readonly databaseListenUrl: string;
  /** The pool named `default` (COGNITO_REGION, COGNITO_USER_POOL_ID...): the first of `pools`, and the one /admin signs in with. */
  readonly cognito: CognitoSettings;
  /** Every pool whose tokens are accepted: `default` first, then those of COGNITO_POOLS (see UserPools for lookups). */
  readonly pools: CognitoSettings[];
  /** ADMIN_OWN_POOL_ONLY: admins see and manage the people of their own pool only, whatever pools a route accepts. */
  readonly adminOwnPoolOnly: boolean;
  readonly tokens: TokenSettings;
  readonly logLevel: string;
  readonly prettyLogs: boolean;
  readonly corsOrigins: string[];
  /** How long after a failed profile fill from the pool (Cognito GetUser) it is tried again. */
  readonly profileRetryMs: number;
  /** How often a sign-in session is rechecked with the pool's GetUser, in the background; 0: never. */
  readonly tokenRecheckMs: number;
  readonly userCache: UserCacheSettings;
  /** Longest wait for in-flight requests on SIGTERM before the process gives up and exits 1. */
  readonly shutdownTimeoutMs: number;
  /** How long readiness fails on SIGTERM, while requests are still served, before the server stops accepting connections. */
  readonly shutdownDrainMs: number;
  /** Prometheus `/metrics` on a listener of its own; off (undefined) unless METRICS_PORT is set. */
  readonly metrics?: MetricsSettings;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}

/** The key id the emulator signs with; its private key ships with the emulator, so anyone can forge it. */
export const EMULATOR_KEY_ID = 'CognitoLocal';
