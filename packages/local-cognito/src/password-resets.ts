import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { EmulatorUser } from './emulator-state.js';

/** The status Cognito gives a user an administrator reset, and the sign-in refusal that goes with it. */
export const RESET_REQUIRED = 'RESET_REQUIRED';
export const PASSWORD_RESET_REQUIRED = { type: 'PasswordResetRequiredException', message: 'Password reset required for the user' };

/**
 * Users whose password an administrator reset (AdminResetUserPassword): RESET_REQUIRED until they set
 * a new one with the code (ConfirmForgotPassword) or an administrator sets one. The emulator has no
 * way to set that status, so the front keeps it, in the pool's data folder, by `<poolId>/<sub>`: a user
 * deleted and created again under the same name is another user.
 */
export class PasswordResets {
  private readonly users: Set<string>;

  constructor(private readonly file: string) {
    this.users = new Set(read(file));
  }

  require(userPoolId: string, user: EmulatorUser): void {
    const key = keyOf(userPoolId, user);
    if (!key || this.users.has(key)) return;
    this.users.add(key);
    this.save();
  }

  clear(userPoolId: string, user: EmulatorUser | undefined): void {
    const key = user && keyOf(userPoolId, user);
    if (key && this.users.delete(key)) this.save();
  }

  required(userPoolId: string, user: EmulatorUser | undefined): boolean {
    const key = user && keyOf(userPoolId, user);
    return Boolean(key && this.users.has(key));
  }

  /** A user as the pool's admin calls answer it: with RESET_REQUIRED while a reset is pending. */
  withStatus<T extends { UserStatus?: unknown }>(userPoolId: string, user: EmulatorUser | undefined, answered: T): T {
    return this.required(userPoolId, user) ? { ...answered, UserStatus: RESET_REQUIRED } : answered;
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify([...this.users]));
    renameSync(temporary, this.file);
  }
}

function keyOf(userPoolId: string, user: EmulatorUser): string | undefined {
  const sub = user.Attributes?.find((attribute) => attribute.Name === 'sub')?.Value;
  return sub ? `${userPoolId}/${sub}` : undefined;
}

function read(file: string): string[] {
  try {
    const keys = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === 'string') : [];
  } catch {
    return [];
  }
}
