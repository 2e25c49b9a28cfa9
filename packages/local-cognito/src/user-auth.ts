import { randomBytes, randomInt } from 'node:crypto';
import { type CognitoAnswer, fail, text, WRONG_CREDENTIALS } from './cognito-answer.js';
import type { EmulatorState, EmulatorUser } from './emulator-state.js';
import type { Outbox } from './outbox.js';
import type { Passkeys } from './passkeys.js';
import { maskDestination } from './self-service.js';
import { secretHash } from './secret-hash.js';
import type { SrpSignIn } from './srp-sign-in.js';

/** The first factors of choice-based sign-in; WEB_AUTHN is offered once the user has registered a passkey. */
export const FIRST_FACTORS = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const;
type Factor = (typeof FIRST_FACTORS)[number];

/** Cognito's sign-in session lasts 3 minutes (AuthSessionValidity's default); a one-time code as long. */
const SESSION_MS = 3 * 60_000;
/** Kept a while past expiry, so that a late code is told it expired rather than that the session is unknown. */
const REMEMBERED_MS = 15 * 60_000;
/** Wrong codes a session survives. */
export const MAX_CODE_TRIES = 3;
const MAX_SESSIONS = 10_000;

interface Pending {
  clientId: string;
  userPoolId: string;
  username: string;
  /** What the session waits for: a factor chosen, the code of one, or a passkey's answer to its challenge. */
  awaiting: 'SELECT_CHALLENGE' | 'EMAIL_OTP' | 'SMS_OTP' | 'WEB_AUTHN';
  code?: string;
  /** WEB_AUTHN: the challenge of the session's CREDENTIAL_REQUEST_OPTIONS. */
  challenge?: string;
  wrongTries: number;
  expiresAt: number;
}

type Params = Record<string, unknown>;
export type SignInAs = (userPoolId: string, clientId: string, username: string, password: string) => Promise<CognitoAnswer>;

const INVALID_SESSION = fail('NotAuthorizedException', 'Invalid session for the user, session is expired.');
const attributeOf = (user: EmulatorUser, name: string): string | undefined => user.Attributes?.find((a) => a.Name === name)?.Value;
const CHALLENGES = ['SELECT_CHALLENGE', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];
const subOf = (user: EmulatorUser): string => attributeOf(user, 'sub') ?? user.Username;

/**
 * Choice-based sign-in (`USER_AUTH`) as Cognito runs it: a preferred first factor, or SELECT_CHALLENGE
 * listing what this user can use; passwords through the emulator, SRP through SrpSignIn, one-time
 * codes by email or SMS written to the outbox, and passkeys through Passkeys.
 */
export class UserAuth {
  private readonly sessions = new Map<string, Pending>();

  constructor(
    private readonly state: EmulatorState,
    private readonly outbox: Outbox,
    private readonly srp: SrpSignIn,
    private readonly signInAs: SignInAs,
    private readonly passkeys: Passkeys,
  ) {}

  async initiate(params: Params): Promise<CognitoAnswer> {
    const clientId = text(params.ClientId);
    const client = this.state.client(clientId);
    if (!client) return fail('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    if (!client.ExplicitAuthFlows?.includes('ALLOW_USER_AUTH'))
      return fail('InvalidParameterException', 'USER_AUTH flow not enabled for this client');
    const auth = (params.AuthParameters ?? {}) as Params;
    const username = text(auth.USERNAME);
    if (!username) return fail('InvalidParameterException', 'Missing required parameter USERNAME');
    if (client.ClientSecret && text(auth.SECRET_HASH) !== secretHash(username, clientId, client.ClientSecret)) {
      return fail('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
    }
    const user = this.state.user(client.UserPoolId, username);
    if (user?.Enabled === false) return fail('NotAuthorizedException', 'User is disabled.');
    if (user?.UserStatus === 'UNCONFIRMED') return fail('UserNotConfirmedException', 'User is not confirmed.');
    const available = user ? this.factorsOf(client.UserPoolId, user) : ['PASSWORD', 'PASSWORD_SRP'];
    const preferred = text(auth.PREFERRED_CHALLENGE);
    const pending = { clientId, userPoolId: client.UserPoolId, username: user?.Username ?? username };
    if (preferred && available.includes(preferred)) return this.start(pending, preferred as Factor, auth);
    if (preferred && !(FIRST_FACTORS as readonly string[]).includes(preferred)) {
      return fail('InvalidParameterException', `PREFERRED_CHALLENGE must be one of ${FIRST_FACTORS.join(', ')}`);
    }
    const session = this.remember({ ...pending, awaiting: 'SELECT_CHALLENGE', wrongTries: 0 });
    return {
      status: 200,
      body: { ChallengeName: 'SELECT_CHALLENGE', Session: session, ChallengeParameters: {}, AvailableChallenges: available },
    };
  }

  /** RespondToAuthChallenge for SELECT_CHALLENGE, EMAIL_OTP, SMS_OTP and WEB_AUTHN; undefined for any other challenge. */
  async respond(params: Params): Promise<CognitoAnswer | undefined> {
    const challenge = text(params.ChallengeName);
    if (!CHALLENGES.includes(challenge)) return undefined;
    const sessionId = text(params.Session);
    const pending = this.sessions.get(sessionId);
    const responses = (params.ChallengeResponses ?? {}) as Params;
    if (!pending || pending.clientId !== text(params.ClientId) || pending.awaiting !== challenge) return INVALID_SESSION;
    if (pending.expiresAt <= Date.now() && (challenge === 'SELECT_CHALLENGE' || challenge === 'WEB_AUTHN')) return INVALID_SESSION;

    if (challenge === 'SELECT_CHALLENGE') {
      this.sessions.delete(sessionId);
      const answer = text(responses.ANSWER);
      const user = this.state.user(pending.userPoolId, pending.username);
      const available = user ? this.factorsOf(pending.userPoolId, user) : ['PASSWORD', 'PASSWORD_SRP'];
      if (!available.includes(answer)) return fail('InvalidParameterException', `ANSWER must be one of ${available.join(', ')}`);
      return this.start(pending, answer as Factor, responses);
    }

    if (challenge === 'WEB_AUTHN') {
      // A challenge is answered once: a refused passkey starts the sign-in over.
      this.sessions.delete(sessionId);
      const user = this.state.user(pending.userPoolId, pending.username);
      if (!user?.Password) return INVALID_SESSION;
      const check = await this.passkeys.verifyAssertion(
        pending.userPoolId,
        subOf(user),
        pending.challenge ?? '',
        text(responses.CREDENTIAL),
      );
      if (!check.ok) return check.answer;
      return this.signInAs(pending.userPoolId, pending.clientId, user.Username, user.Password);
    }

    if (pending.expiresAt <= Date.now()) {
      this.sessions.delete(sessionId);
      return fail('ExpiredCodeException', 'Invalid code provided, please request a code again.');
    }
    const code = text(challenge === 'EMAIL_OTP' ? responses.EMAIL_OTP_CODE : responses.SMS_OTP_CODE);
    if (!pending.code || code !== pending.code) {
      pending.wrongTries++;
      // The session allows a few tries; after that the sign-in starts over.
      if (pending.wrongTries >= MAX_CODE_TRIES) this.sessions.delete(sessionId);
      return fail('CodeMismatchException', 'Invalid code or auth state for the user.');
    }
    this.sessions.delete(sessionId);
    const user = this.state.user(pending.userPoolId, pending.username);
    if (!user?.Password) return INVALID_SESSION;
    return this.signInAs(pending.userPoolId, pending.clientId, user.Username, user.Password);
  }

  /** The first factors this user can use, in Cognito's order. */
  private factorsOf(userPoolId: string, user: EmulatorUser): string[] {
    const allowed = this.state.allowedFirstFactors(userPoolId) ?? ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'];
    const factors: string[] = [];
    if (allowed.includes('PASSWORD') && user.Password) factors.push('PASSWORD', 'PASSWORD_SRP');
    if (allowed.includes('EMAIL_OTP') && attributeOf(user, 'email') && attributeOf(user, 'email_verified') === 'true')
      factors.push('EMAIL_OTP');
    if (allowed.includes('SMS_OTP') && attributeOf(user, 'phone_number') && attributeOf(user, 'phone_number_verified') === 'true')
      factors.push('SMS_OTP');
    if (allowed.includes('WEB_AUTHN') && this.passkeys.has(userPoolId, subOf(user))) factors.push('WEB_AUTHN');
    return factors;
  }

  private async start(
    pending: Omit<Pending, 'awaiting' | 'wrongTries' | 'expiresAt'>,
    factor: Factor,
    input: Params,
  ): Promise<CognitoAnswer> {
    if (factor === 'PASSWORD') {
      const user = this.state.user(pending.userPoolId, pending.username);
      const password = text(input.PASSWORD);
      if (!password) return fail('InvalidParameterException', 'Missing required parameter PASSWORD');
      if (!user?.Password || user.Password !== password) return WRONG_CREDENTIALS;
      return this.signInAs(pending.userPoolId, pending.clientId, user.Username, password);
    }
    if (factor === 'PASSWORD_SRP') {
      const answer = this.srp.initiate(
        { ClientId: pending.clientId, AuthParameters: { USERNAME: pending.username, SRP_A: input.SRP_A, SECRET_HASH: input.SECRET_HASH } },
        'ALLOW_USER_AUTH',
      );
      if (answer.status !== 200) return answer;
      return { status: 200, body: { ...answer.body, Session: randomBytes(48).toString('base64url') } };
    }
    if (factor === 'EMAIL_OTP' || factor === 'SMS_OTP') {
      const user = this.state.user(pending.userPoolId, pending.username);
      if (!user) return INVALID_SESSION;
      const email = factor === 'EMAIL_OTP';
      const destination = attributeOf(user, email ? 'email' : 'phone_number') ?? '';
      // Cognito's sign-in codes are eight digits.
      const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
      this.outbox.send({ username: user.Username, destination, kind: email ? 'email-otp' : 'sms-otp', code });
      const session = this.remember({ ...pending, awaiting: factor, code, wrongTries: 0 });
      const medium = email ? 'EMAIL' : 'SMS';
      return {
        status: 200,
        body: {
          ChallengeName: factor,
          Session: session,
          ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: medium, CODE_DELIVERY_DESTINATION: maskDestination(medium, destination) },
        },
      };
    }
    if (factor === 'WEB_AUTHN') {
      const user = this.state.user(pending.userPoolId, pending.username);
      if (!user) return INVALID_SESSION;
      const { options, challenge } = this.passkeys.requestOptions(pending.userPoolId, subOf(user));
      const session = this.remember({ ...pending, awaiting: 'WEB_AUTHN', challenge, wrongTries: 0 });
      return {
        status: 200,
        body: {
          ChallengeName: 'WEB_AUTHN',
          Session: session,
          ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: JSON.stringify(options) },
        },
      };
    }
    return fail('InvalidParameterException', `${String(factor)} sign-in is not available for this user`);
  }

  private remember(pending: Omit<Pending, 'expiresAt'>): string {
    const now = Date.now();
    for (const [key, value] of this.sessions) if (value.expiresAt + REMEMBERED_MS < now) this.sessions.delete(key);
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    const session = randomBytes(48).toString('base64url');
    this.sessions.set(session, { ...pending, expiresAt: now + SESSION_MS });
    return session;
  }
}
