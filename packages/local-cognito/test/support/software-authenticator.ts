import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { DocumentType } from '@smithy/types';
import { isoCBOR } from '@simplewebauthn/server/helpers';

interface Held {
  privateKey: KeyObject;
  rpId: string;
  counter: number;
  userHandle?: string;
}

const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest();
const b64url = (data: Buffer | Uint8Array): string => Buffer.from(data).toString('base64url');
const counterBytes = (counter: number): Buffer => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(counter);
  return bytes;
};
/** Flags of authenticator data: user present and verified, plus attested credential data at registration. */
const UP_UV = 0x01 | 0x04;
const AT = 0x40;

/**
 * A passkey authenticator in Node, as a browser's would answer (ES256 keys, attestation "none"), for
 * the pool's specs that need no browser; it can also answer for a page at another origin, or for
 * another relying party, to see those refused. The browser specs use Chromium's virtual authenticator.
 */
export class SoftwareAuthenticator {
  private readonly held = new Map<string, Held>();

  constructor(private readonly origin = 'http://localhost:3000') {}

  /** navigator.credentials.create() for Cognito's CredentialCreationOptions, in the JSON form Amplify sends back. */
  register(
    options: Record<string, unknown>,
    { origin = this.origin, rpId }: { origin?: string; rpId?: string } = {},
  ): DocumentType & { id: string } {
    const rp = options.rp as { id: string };
    const user = options.user as { id: string };
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = isoCBOR.encode(
      new Map<number, number | Uint8Array>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
    const id = randomBytes(16);
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const signedFor = rpId ?? rp.id;
    const authData = Buffer.concat([sha256(signedFor), Buffer.from([UP_UV | AT]), counterBytes(0), Buffer.alloc(16), idLength, id, cose]);
    const attestationObject = isoCBOR.encode(
      new Map<string, string | Uint8Array | Map<string, string>>([
        ['fmt', 'none'],
        ['attStmt', new Map<string, string>()],
        ['authData', authData],
      ]),
    );
    const clientData = { type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false };
    this.held.set(b64url(id), { privateKey, rpId: signedFor, counter: 0, userHandle: user.id });
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key',
      authenticatorAttachment: 'cross-platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(Buffer.from(JSON.stringify(clientData))),
        attestationObject: b64url(attestationObject),
        transports: ['usb'],
        publicKeyAlgorithm: -7,
        authenticatorData: b64url(authData),
      },
    };
  }

  /** navigator.credentials.get() for a sign-in's CREDENTIAL_REQUEST_OPTIONS (parsed), as JSON: the newest passkey it holds unless told which. */
  assert(options: { challenge: string }, { origin = this.origin, credentialId }: { origin?: string; credentialId?: string } = {}): string {
    const id = credentialId ?? [...this.held.keys()].at(-1)!;
    const held = this.held.get(id)!;
    held.counter += 1;
    const authData = Buffer.concat([sha256(held.rpId), Buffer.from([UP_UV]), counterBytes(held.counter)]);
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), held.privateKey);
    return JSON.stringify({
      id,
      rawId: id,
      type: 'public-key',
      authenticatorAttachment: 'cross-platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(held.userHandle ? { userHandle: held.userHandle } : {}),
      },
    });
  }

  /** Sets a passkey's counter, as a cloned authenticator's would lag behind. */
  setCounter(credentialId: string, counter: number): void {
    this.held.get(credentialId)!.counter = counter;
  }
}
