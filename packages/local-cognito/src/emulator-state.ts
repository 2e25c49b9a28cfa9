import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PasswordPolicy } from './password-policy.js';

const READ_ATTEMPTS = 20;
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** An app client as cognito-local keeps it in `.cognito/db/clients.json`. */
export interface EmulatorClient {
  ClientId: string;
  ClientName?: string;
  ClientSecret?: string;
  UserPoolId: string;
  ExplicitAuthFlows?: string[];
  AllowedOAuthFlows?: string[];
  AllowedOAuthScopes?: string[];
  CallbackURLs?: string[];
  LogoutURLs?: string[];
  AccessTokenValidity?: number;
  TokenValidityUnits?: { AccessToken?: string };
}

/** A user as cognito-local keeps it in `.cognito/db/<poolId>.json`, password in clear. */
export interface EmulatorUser {
  Username: string;
  Password?: string;
  Attributes?: Array<{ Name: string; Value?: string }>;
  Enabled?: boolean;
  UserStatus?: string;
}

/**
 * Reads cognito-local's JSON state, which it writes on every change: the local pool's front needs
 * what the emulator has no API for (client secrets it keeps, users' passwords for SRP verifiers).
 */
export class EmulatorState {
  /** Each file's last complete content: what a read caught mid-write answers with. */
  private readonly lastRead = new Map<string, unknown>();

  constructor(private readonly dbDir: string) {}

  client(clientId: string): EmulatorClient | undefined {
    const clients = this.read<{ Clients?: Record<string, EmulatorClient> }>('clients')?.Clients ?? {};
    return Object.hasOwn(clients, clientId) ? clients[clientId] : undefined;
  }

  /** By username, else by `sub` or email alias, as Cognito finds the user of a sign-in. */
  user(userPoolId: string, username: string): EmulatorUser | undefined {
    if (!/^[\w-]+$/.test(userPoolId)) return undefined;
    const users = this.read<{ Users?: Record<string, EmulatorUser> }>(userPoolId)?.Users ?? {};
    if (Object.hasOwn(users, username)) return users[username];
    return Object.values(users).find((user) =>
      user.Attributes?.some((attribute) => (attribute.Name === 'sub' || attribute.Name === 'email') && attribute.Value === username),
    );
  }

  /** The pool's name (as created: CreateUserPool's PoolName). */
  poolName(userPoolId: string): string | undefined {
    if (!/^[\w-]+$/.test(userPoolId)) return undefined;
    return this.read<{ Options?: { Name?: string } }>(userPoolId)?.Options?.Name;
  }

  /** The pool's password policy, as created (Cognito's default when the pool was created without one). */
  passwordPolicy(userPoolId: string): PasswordPolicy | undefined {
    if (!/^[\w-]+$/.test(userPoolId)) return undefined;
    return this.read<{ Options?: { Policies?: { PasswordPolicy?: PasswordPolicy } } }>(userPoolId)?.Options?.Policies?.PasswordPolicy;
  }

  /** The pool's SignInPolicy.AllowedFirstAuthFactors, when it was given one. */
  allowedFirstFactors(userPoolId: string): string[] | undefined {
    if (!/^[\w-]+$/.test(userPoolId)) return undefined;
    type Options = { Policies?: { SignInPolicy?: { AllowedFirstAuthFactors?: string[] } } };
    return this.read<{ Options?: Options }>(userPoolId)?.Options?.Policies?.SignInPolicy?.AllowedFirstAuthFactors;
  }

  private read<T>(name: string): T | undefined {
    // The emulator rewrites a file in place (not atomically): a read may catch it half-written, so try
    // again. A write can outlast the tries when the emulator's process waits for a core (a busy machine,
    // a large pool file); the file's last complete content then answers, as a read just before the write would.
    for (let attempt = 0; ; attempt++) {
      let content: string;
      try {
        content = readFileSync(join(this.dbDir, `${name}.json`), 'utf8');
      } catch {
        return undefined;
      }
      try {
        const parsed = JSON.parse(content) as T;
        this.lastRead.set(name, parsed);
        return parsed;
      } catch {
        if (attempt >= READ_ATTEMPTS) return this.lastRead.get(name) as T | undefined;
        Atomics.wait(PAUSE, 0, 0, 5);
      }
    }
  }
}
