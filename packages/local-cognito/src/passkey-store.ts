import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A registered passkey: what a WebAuthn sign-in is verified against, and what ListWebAuthnCredentials shows. */
export interface Passkey {
  userPoolId: string;
  /** The user's `sub`: a user deleted and created again under the same name does not get the old passkeys. */
  sub: string;
  /** base64url, as the browser names it. */
  credentialId: string;
  /** base64url of the COSE public key. */
  publicKey: string;
  /** The authenticator's signature counter, raised by each sign-in. */
  counter: number;
  transports: string[];
  attachment?: string;
  relyingPartyId: string;
  friendlyName: string;
  /** Milliseconds. */
  createdAt: number;
}

/**
 * The pool's passkeys, kept in one JSON file of the pool's data folder beside its sessions (written
 * whole and renamed into place), so that a restart keeps every registration.
 */
export class PasskeyStore {
  private passkeys: Passkey[];

  constructor(private readonly file: string) {
    try {
      this.passkeys = (JSON.parse(readFileSync(file, 'utf8')) as { passkeys?: Passkey[] }).passkeys ?? [];
    } catch {
      this.passkeys = [];
    }
  }

  /** The user's passkeys, oldest first (ListWebAuthnCredentials' order). */
  ofUser(userPoolId: string, sub: string): Passkey[] {
    return this.passkeys
      .filter((passkey) => passkey.userPoolId === userPoolId && passkey.sub === sub)
      .sort((a, b) => a.createdAt - b.createdAt || a.credentialId.localeCompare(b.credentialId));
  }

  find(userPoolId: string, credentialId: string): Passkey | undefined {
    return this.passkeys.find((passkey) => passkey.userPoolId === userPoolId && passkey.credentialId === credentialId);
  }

  add(passkey: Passkey): void {
    this.passkeys.push(passkey);
    this.save();
  }

  /** False when the user has no such passkey. */
  remove(userPoolId: string, sub: string, credentialId: string): boolean {
    const kept = this.passkeys.filter(
      (passkey) => !(passkey.userPoolId === userPoolId && passkey.sub === sub && passkey.credentialId === credentialId),
    );
    if (kept.length === this.passkeys.length) return false;
    this.passkeys = kept;
    this.save();
    return true;
  }

  setCounter(passkey: Passkey, counter: number): void {
    passkey.counter = counter;
    this.save();
  }

  private save(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify({ passkeys: this.passkeys }));
    renameSync(temporary, this.file);
  }
}
