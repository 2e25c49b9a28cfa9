import { createHash, randomBytes } from 'node:crypto';
import {
  type AuthenticationResponseJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { decodeAttestationObject, decodeClientDataJSON, isoBase64URL } from '@simplewebauthn/server/helpers';
import { type CognitoAnswer, fail } from './cognito-answer.js';
import type { Passkey, PasskeyStore } from './passkey-store.js';

/** The relying party id when none is configured: what a dev server on http://localhost:<port> may use. */
export const DEFAULT_RELYING_PARTY_ID = 'localhost';
/** Cognito's WebAuthn timeout hint to the browser, in its options. */
const TIMEOUT_MS = 60_000;
/** A registration challenge is good for as long as a sign-in session (Cognito's default AuthSessionValidity). */
const CHALLENGE_MS = 3 * 60_000;
/** Cognito's user verification default (WebAuthnConfiguration.UserVerification): asked for, not required. */
const USER_VERIFICATION = 'preferred';

interface PendingRegistration {
  challenge: string;
  clientId: string;
  expiresAt: number;
}

/** What a passkey sign-in verified, or why it was refused. */
export type AssertionCheck = { ok: true } | { ok: false; answer: CognitoAnswer };

const userKey = (userPoolId: string, sub: string): string => `${userPoolId}/${sub}`;

/** Why a relying party id cannot be one (browsers take a host name: no scheme, port, path or IP address); undefined when it can. */
export function relyingPartyIdProblem(id: string): string | undefined {
  const hostName = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
  if (!hostName.test(id) || /^[\d.]+$/.test(id)) {
    return `must be the host name of the pages that use passkeys, such as localhost or app.example.com (got "${id}").`;
  }
  return undefined;
}

/**
 * Whether a page at `origin` may use passkeys of `relyingPartyId`, as browsers and Cognito see it: the
 * origin's host is the relying party id or under it, over https (or http on localhost, a secure context).
 */
export function originAllowed(origin: string, relyingPartyId: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.origin !== origin) return false;
  const host = url.hostname;
  const local = host === 'localhost' || host.endsWith('.localhost');
  const secure = url.protocol === 'https:' || (url.protocol === 'http:' && local);
  return secure && (host === relyingPartyId || host.endsWith(`.${relyingPartyId}`));
}

/** The credential's client data (challenge, origin), or undefined when it is not a credential's. */
function clientDataOf(credential: unknown): { challenge: string; origin: string } | undefined {
  const data = (credential as { response?: { clientDataJSON?: unknown } } | undefined)?.response?.clientDataJSON;
  if (typeof data !== 'string') return undefined;
  try {
    const { challenge, origin } = decodeClientDataJSON(data);
    return typeof challenge === 'string' && typeof origin === 'string' ? { challenge, origin } : undefined;
  } catch {
    return undefined;
  }
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
/** The relying party's hash that the authenticator signed: the first 32 bytes of authenticator data. */
const rpIdHashOf = (authData: Uint8Array): Buffer => Buffer.from(authData.subarray(0, 32));

/** ListWebAuthnCredentials' FriendlyCredentialName, which Cognito makes up from the kind of authenticator. */
function friendlyNameOf(attachment: string | undefined): string {
  if (attachment === 'platform') return 'Platform passkey';
  if (attachment === 'cross-platform') return 'Roaming passkey';
  return 'Passkey';
}

/**
 * Passkeys (WebAuthn) as Cognito runs them, verified by @simplewebauthn/server: registration options and
 * their completion for a signed-in user, and the request options and assertion of a sign-in.
 */
export class Passkeys {
  /** One registration under way per user: a newer StartWebAuthnRegistration replaces it. */
  private readonly registrations = new Map<string, PendingRegistration>();

  constructor(
    private readonly store: PasskeyStore,
    readonly relyingPartyId: string,
    private readonly now: () => number,
  ) {}

  has(userPoolId: string, sub: string): boolean {
    return this.store.ofUser(userPoolId, sub).length > 0;
  }

  list(userPoolId: string, sub: string): Passkey[] {
    return this.store.ofUser(userPoolId, sub);
  }

  remove(userPoolId: string, sub: string, credentialId: string): boolean {
    return this.store.remove(userPoolId, sub, credentialId);
  }

  /** StartWebAuthnRegistration's CredentialCreationOptions, in the shape Cognito gives them. */
  creationOptions(userPoolId: string, clientId: string, sub: string, username: string): Record<string, unknown> {
    const challenge = randomBytes(32).toString('base64url');
    this.registrations.set(userKey(userPoolId, sub), { challenge, clientId, expiresAt: this.now() + CHALLENGE_MS });
    return {
      authenticatorSelection: { requireResidentKey: true, residentKey: 'required', userVerification: USER_VERIFICATION },
      challenge,
      excludeCredentials: this.store.ofUser(userPoolId, sub).map(({ credentialId }) => ({ id: credentialId, type: 'public-key' })),
      pubKeyCredParams: [
        { alg: -7, type: 'public-key' },
        { alg: -257, type: 'public-key' },
      ],
      rp: { id: this.relyingPartyId, name: this.relyingPartyId },
      timeout: TIMEOUT_MS,
      user: { displayName: username, id: Buffer.from(sub).toString('base64url'), name: username },
    };
  }

  /** CompleteWebAuthnRegistration: the browser's credential checked against the user's registration under way. */
  async register(userPoolId: string, clientId: string, sub: string, credential: unknown): Promise<CognitoAnswer> {
    const client = clientDataOf(credential);
    const attestation = (credential as { response?: { attestationObject?: unknown } }).response?.attestationObject;
    if (!client || typeof attestation !== 'string') {
      return fail(
        'InvalidParameterException',
        'Credential must be the JSON form of a PublicKeyCredential from navigator.credentials.create().',
      );
    }
    const key = userKey(userPoolId, sub);
    const pending = this.registrations.get(key);
    if (!pending || pending.expiresAt <= this.now() || pending.challenge !== client.challenge) {
      return fail(
        'WebAuthnChallengeNotFoundException',
        'The registration challenge was not found or has expired: start the registration again.',
      );
    }
    if (pending.clientId !== clientId) {
      return fail(
        'WebAuthnClientMismatchException',
        'The access token is of another app client than the one that started the registration.',
      );
    }
    this.registrations.delete(key);
    if (!originAllowed(client.origin, this.relyingPartyId)) {
      return fail('WebAuthnOriginNotAllowedException', `Origin ${client.origin} is not allowed for relying party ${this.relyingPartyId}.`);
    }
    let authData: Uint8Array;
    try {
      authData = decodeAttestationObject(isoBase64URL.toBuffer(attestation)).get('authData');
    } catch {
      return fail('InvalidParameterException', "The credential's attestationObject cannot be read.");
    }
    if (!rpIdHashOf(authData).equals(sha256(this.relyingPartyId))) {
      return fail('WebAuthnRelyingPartyMismatchException', `The passkey was made for another relying party than ${this.relyingPartyId}.`);
    }
    let verified;
    try {
      verified = await verifyRegistrationResponse({
        response: credential as RegistrationResponseJSON,
        expectedChallenge: pending.challenge,
        expectedOrigin: client.origin,
        expectedRPID: this.relyingPartyId,
        requireUserVerification: false,
      });
    } catch (error) {
      return fail('WebAuthnCredentialNotSupportedException', `The passkey cannot be used: ${(error as Error).message}`);
    }
    if (!verified.verified) return fail('WebAuthnCredentialNotSupportedException', 'The passkey could not be verified.');
    const { credential: made } = verified.registrationInfo;
    if (this.store.find(userPoolId, made.id)) return fail('InvalidParameterException', 'This passkey is already registered.');
    const attachment = (credential as RegistrationResponseJSON).authenticatorAttachment;
    this.store.add({
      userPoolId,
      sub,
      credentialId: made.id,
      publicKey: isoBase64URL.fromBuffer(made.publicKey),
      counter: made.counter,
      transports: made.transports ?? [],
      ...(attachment ? { attachment } : {}),
      relyingPartyId: this.relyingPartyId,
      friendlyName: friendlyNameOf(attachment),
      createdAt: this.now(),
    });
    return { status: 200, body: {} };
  }

  /** A WEB_AUTHN sign-in's CREDENTIAL_REQUEST_OPTIONS (the user's passkeys allowed) and the challenge it holds. */
  requestOptions(userPoolId: string, sub: string): { options: Record<string, unknown>; challenge: string } {
    const challenge = randomBytes(32).toString('base64url');
    const allowCredentials = this.store
      .ofUser(userPoolId, sub)
      .map(({ credentialId, transports }) => ({ id: credentialId, type: 'public-key', ...(transports.length ? { transports } : {}) }));
    return {
      challenge,
      options: { challenge, timeout: TIMEOUT_MS, rpId: this.relyingPartyId, allowCredentials, userVerification: USER_VERIFICATION },
    };
  }

  /** The assertion (ChallengeResponses.CREDENTIAL, JSON) of a WEB_AUTHN sign-in: one of the user's passkeys, this challenge, this relying party. */
  async verifyAssertion(userPoolId: string, sub: string, challenge: string, credentialJson: string): Promise<AssertionCheck> {
    let credential: unknown;
    try {
      credential = JSON.parse(credentialJson);
    } catch {
      credential = undefined;
    }
    const client = clientDataOf(credential);
    const authenticatorData = (credential as { response?: { authenticatorData?: unknown } } | undefined)?.response?.authenticatorData;
    const id = (credential as { id?: unknown } | undefined)?.id;
    if (!client || typeof authenticatorData !== 'string' || typeof id !== 'string') {
      const answer = fail(
        'InvalidParameterException',
        'CREDENTIAL must be the JSON form of a PublicKeyCredential from navigator.credentials.get().',
      );
      return { ok: false, answer };
    }
    const refused = (message: string): AssertionCheck => ({ ok: false, answer: fail('NotAuthorizedException', message) });
    const passkey = this.store.find(userPoolId, id);
    if (!passkey || passkey.sub !== sub) return refused('The passkey is not registered for this user.');
    if (client.challenge !== challenge) return refused("The passkey answered another challenge than this sign-in's.");
    if (!originAllowed(client.origin, this.relyingPartyId)) {
      return refused(`Origin ${client.origin} is not allowed for relying party ${this.relyingPartyId}.`);
    }
    try {
      if (!rpIdHashOf(isoBase64URL.toBuffer(authenticatorData)).equals(sha256(passkey.relyingPartyId))) {
        return refused(`The passkey answered for another relying party than ${passkey.relyingPartyId}.`);
      }
      const { verified, authenticationInfo } = await verifyAuthenticationResponse({
        response: credential as AuthenticationResponseJSON,
        expectedChallenge: challenge,
        expectedOrigin: client.origin,
        expectedRPID: passkey.relyingPartyId,
        credential: {
          id: passkey.credentialId,
          publicKey: isoBase64URL.toBuffer(passkey.publicKey),
          counter: passkey.counter,
          transports: passkey.transports,
        },
        requireUserVerification: false,
      });
      if (!verified) return refused("The passkey's signature is not valid.");
      this.store.setCounter(passkey, authenticationInfo.newCounter);
      return { ok: true };
    } catch (error) {
      return refused(`The passkey could not be verified: ${(error as Error).message}`);
    }
  }
}
