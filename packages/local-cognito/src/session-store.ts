import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One refresh token of a session: only its hash is kept; `retiredAt` once rotation replaced it. */
interface RefreshEntry {
  hash: string;
  issuedAt: number;
  retiredAt?: number;
}

/** A sign-in session as Cognito tracks it: one `origin_jti`, kept through refreshes, until it is revoked. */
export interface Session {
  originJti: string;
  userPoolId: string;
  clientId: string;
  sub: string;
  username: string;
  /** Seconds: the sign-in's time, `auth_time` of every token of the session. */
  authTime: number;
  /** The emulator's own refresh token, which mints the session's fresh claims (groups, attributes). */
  emulatorRefreshToken: string;
  /** Milliseconds: when the session's refresh tokens stop working. */
  expiresAt: number;
  /** The access tokens' scope: the API scope for API sign-ins, the scopes granted for a Hosted UI sign-in. */
  scope?: string;
  revoked: boolean;
  refreshTokens: RefreshEntry[];
}

interface StoreFile {
  sessions: Session[];
  /** `<poolId>/<sub>` → seconds: tokens issued before this (global sign-out, disabling) are revoked. */
  signedOutBefore: Record<string, number>;
}

const hashOf = (token: string): string => createHash('sha256').update(token).digest('base64url');
const userKey = (userPoolId: string, sub: string): string => `${userPoolId}/${sub}`;

/** An opaque refresh token shaped as Cognito's (five base64url segments, like a JWE). */
function newRefreshToken(): string {
  const header = Buffer.from(JSON.stringify({ cty: 'JWT', enc: 'A256GCM', alg: 'RSA-OAEP' })).toString('base64url');
  return [header, ...[256, 12, 512, 16].map((size) => randomBytes(size).toString('base64url'))].join('.');
}

/**
 * The pool's sign-in sessions and revocations, kept in one JSON file of the pool's data folder
 * (written whole and renamed into place), so that a restart keeps every session.
 */
export class SessionStore {
  private readonly data: StoreFile;

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    this.data = SessionStore.load(file);
  }

  private static load(file: string): StoreFile {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StoreFile>;
      return { sessions: parsed.sessions ?? [], signedOutBefore: parsed.signedOutBefore ?? {} };
    } catch {
      return { sessions: [], signedOutBefore: {} };
    }
  }

  /** A new sign-in session and its first refresh token. */
  open(fields: Omit<Session, 'originJti' | 'revoked' | 'refreshTokens'>): { session: Session; refreshToken: string } {
    const refreshToken = newRefreshToken();
    const session: Session = {
      ...fields,
      originJti: randomUUID(),
      revoked: false,
      refreshTokens: [{ hash: hashOf(refreshToken), issuedAt: this.now() }],
    };
    const now = this.now();
    this.data.sessions = this.data.sessions.filter((kept) => kept.expiresAt > now);
    this.data.sessions.push(session);
    this.save();
    return { session, refreshToken };
  }

  /** The session of a refresh token, and whether rotation retired that token (and when). */
  findRefreshToken(token: string): { session: Session; retiredAt?: number } | undefined {
    const hash = hashOf(token);
    for (const session of this.data.sessions) {
      const entry = session.refreshTokens.find((candidate) => candidate.hash === hash);
      if (entry) return { session, retiredAt: entry.retiredAt };
    }
    return undefined;
  }

  session(originJti: string): Session | undefined {
    return this.data.sessions.find((session) => session.originJti === originJti);
  }

  /** Rotation: a new refresh token for the session; the submitted one works `graceSeconds` more (client retries). */
  rotate(session: Session, submitted: string, graceSeconds: number): string {
    const refreshToken = newRefreshToken();
    const retiredAt = this.now() + graceSeconds * 1000;
    const entry = session.refreshTokens.find((candidate) => candidate.hash === hashOf(submitted));
    if (entry) entry.retiredAt = Math.min(entry.retiredAt ?? retiredAt, retiredAt);
    session.refreshTokens.push({ hash: hashOf(refreshToken), issuedAt: this.now() });
    this.save();
    return refreshToken;
  }

  revoke(session: Session): void {
    session.revoked = true;
    this.save();
  }

  /** Every session of the user, and every token issued to it until now (those without a session too). */
  revokeUser(userPoolId: string, sub: string): void {
    for (const session of this.data.sessions) if (session.userPoolId === userPoolId && session.sub === sub) session.revoked = true;
    this.data.signedOutBefore[userKey(userPoolId, sub)] = Math.floor(this.now() / 1000);
    this.save();
  }

  /** Seconds: tokens of the user issued at or before this are revoked. */
  signedOutBefore(userPoolId: string, sub: string): number | undefined {
    return this.data.signedOutBefore[userKey(userPoolId, sub)];
  }

  clock(): number {
    return this.now();
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(this.data));
    renameSync(temporary, this.file);
  }
}
