import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CognitoAnswer, fail } from './cognito-answer.js';

/** A code's purpose; one live code per user and purpose, as a new code replaces the last one. */
export type CodePurpose = 'sign-up' | 'forgot-password' | 'verify-email' | 'verify-phone_number';

/** Cognito's lifetimes: a password-reset code lasts an hour, sign-up and attribute codes a day. */
const LIFETIME_MS: Record<CodePurpose, number> = {
  'sign-up': 24 * 3600_000,
  'forgot-password': 3600_000,
  'verify-email': 24 * 3600_000,
  'verify-phone_number': 24 * 3600_000,
};
/** Codes a user may be sent per purpose in an hour, and wrong tries a code survives. */
export const MAX_CODES_PER_HOUR = 5;
export const MAX_WRONG_TRIES = 5;
const MAX_ENTRIES = 10_000;

interface Entry {
  code: string;
  expiresAt: number;
  wrongTries: number;
  /** When each code of the last hour was sent. */
  sentAt: number[];
}

export const CODE_MISMATCH = fail('CodeMismatchException', 'Invalid verification code provided, please try again.');
export const CODE_EXPIRED = fail('ExpiredCodeException', 'Invalid code provided, please request a code again.');
export const TOO_MANY_ATTEMPTS = fail('LimitExceededException', 'Attempt limit exceeded, please try after some time.');

/**
 * The six-digit codes the pool sends (sign-up, password reset, attribute verification): issued, checked
 * once right, limited as Cognito limits them; kept in the pool's data folder across restarts.
 */
export class VerificationCodes {
  private entries: Record<string, Entry>;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = read(file);
  }

  /** A new code, or LimitExceededException when this user was sent too many in the last hour. */
  issue(userPoolId: string, username: string, purpose: CodePurpose): { code: string } | CognitoAnswer {
    const key = keyOf(userPoolId, username, purpose);
    const now = this.now();
    const recent = (this.entries[key]?.sentAt ?? []).filter((at) => at > now - 3600_000);
    if (recent.length >= MAX_CODES_PER_HOUR) return TOO_MANY_ATTEMPTS;
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.entries[key] = { code, expiresAt: now + LIFETIME_MS[purpose], wrongTries: 0, sentAt: [...recent, now] };
    this.save();
    return { code };
  }

  /** undefined when the code is right (it is then used up), else Cognito's refusal. */
  check(userPoolId: string, username: string, purpose: CodePurpose, code: string): CognitoAnswer | undefined {
    const key = keyOf(userPoolId, username, purpose);
    const entry = this.entries[key];
    if (!entry?.code) return CODE_MISMATCH;
    if (entry.wrongTries >= MAX_WRONG_TRIES) return TOO_MANY_ATTEMPTS;
    if (entry.code !== code) {
      entry.wrongTries++;
      this.save();
      return CODE_MISMATCH;
    }
    if (entry.expiresAt <= this.now()) return CODE_EXPIRED;
    this.entries[key] = { ...entry, code: '', wrongTries: 0 };
    this.save();
    return undefined;
  }

  private save(): void {
    const now = this.now();
    const live = Object.entries(this.entries).filter(
      ([, entry]) => entry.expiresAt > now || entry.sentAt.some((at) => at > now - 3600_000),
    );
    this.entries = Object.fromEntries(live.slice(-MAX_ENTRIES));
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(`${this.file}.tmp`, JSON.stringify(this.entries));
    renameSync(`${this.file}.tmp`, this.file);
  }
}

const keyOf = (userPoolId: string, username: string, purpose: CodePurpose): string => `${userPoolId}/${username}/${purpose}`;

function read(file: string): Record<string, Entry> {
  try {
    const entries = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return entries && typeof entries === 'object' && !Array.isArray(entries) ? (entries as Record<string, Entry>) : {};
  } catch {
    return {};
  }
}
