export interface CognitoSettings {
  region: string;
  userPoolId: string;
  /** App clients whose access tokens are accepted. */
  clientIds: string[];
  /** Base URL replacing `https://cognito-idp.<region>.amazonaws.com` (the local emulator). */
  endpoint: string;
  issuer: string;
  jwksUri: string;
  adminGroups: string[];
  /** Hosted UI domain (`https://<prefix>.auth.<region>.amazoncognito.com`), for the /admin sign-in. */
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
  readonly cognito: CognitoSettings;
  readonly tokens: TokenSettings;
  readonly logLevel: string;
  readonly prettyLogs: boolean;
  readonly corsOrigins: string[];
  /** How long after a failed profile fill from the pool (Cognito GetUser) it is tried again. */
  readonly profileRetryMs: number;
  /** Longest wait for in-flight requests on SIGTERM before the process gives up and exits 1. */
  readonly shutdownTimeoutMs: number;
  /** Prometheus `/metrics` on a listener of its own; off (undefined) unless METRICS_PORT is set. */
  readonly metrics?: MetricsSettings;

  constructor(values: AppConfig) {
    Object.assign(this, values);
  }
}

/** The key id the emulator signs with; its private key ships with the emulator, so anyone can forge it. */
export const EMULATOR_KEY_ID = 'CognitoLocal';
