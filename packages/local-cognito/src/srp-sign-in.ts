import { type CognitoAnswer, fail, text, WRONG_CREDENTIALS as WRONG } from './cognito-answer.js';
import { secretHash } from './secret-hash.js';
import type { EmulatorState } from './emulator-state.js';
import { parseSrpA, parseSrpTimestamp, type SrpSession, srpPoolName, startSrp, verifySrpClaim } from './srp-verifier.js';

const SESSION_TTL_MS = 3 * 60_000;
const MAX_SESSIONS = 10_000;

interface PendingSignIn {
  srp: SrpSession;
  clientId: string;
  userPoolId: string;
  username: string;
  expiresAt: number;
}

interface Params {
  ClientId?: unknown;
  AuthParameters?: Record<string, unknown>;
  ChallengeName?: unknown;
  ChallengeResponses?: Record<string, unknown>;
}

/**
 * USER_SRP_AUTH as Cognito runs it, for the emulator's users: InitiateAuth answers the
 * PASSWORD_VERIFIER challenge, RespondToAuthChallenge checks the claim and then has the emulator
 * answer (a password sign-in with the password it keeps), so that tokens, refresh, GetUser, groups
 * and a temporary password's NEW_PASSWORD_REQUIRED behave as for any other emulator sign-in.
 */
export class SrpSignIn {
  private readonly pending = new Map<string, PendingSignIn>();

  constructor(
    private readonly state: EmulatorState,
    private readonly afterClaim: (userPoolId: string, clientId: string, username: string, password: string) => Promise<CognitoAnswer>,
  ) {}

  /** `flow`: the client setting that allows it (USER_SRP_AUTH, or USER_AUTH's PASSWORD_SRP factor). */
  initiate(params: Params, flow: 'ALLOW_USER_SRP_AUTH' | 'ALLOW_USER_AUTH' = 'ALLOW_USER_SRP_AUTH'): CognitoAnswer {
    const clientId = text(params.ClientId);
    const client = this.state.client(clientId);
    if (!client) return fail('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    if (!client.ExplicitAuthFlows?.includes(flow))
      return fail('InvalidParameterException', `${flow.slice('ALLOW_'.length)} flow not enabled for this client`);
    const username = text(params.AuthParameters?.USERNAME);
    const A = parseSrpA(text(params.AuthParameters?.SRP_A));
    if (!username || A === undefined) return fail('InvalidParameterException', 'Missing required parameter USERNAME or a valid SRP_A');
    if (client.ClientSecret && text(params.AuthParameters?.SECRET_HASH) !== secretHash(username, clientId, client.ClientSecret)) {
      return fail('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
    }
    const user = this.state.user(client.UserPoolId, username);
    if (!user?.Password) return WRONG;
    if (user.Enabled === false) return fail('NotAuthorizedException', 'User is disabled.');
    if (user.UserStatus === 'UNCONFIRMED') return fail('UserNotConfirmedException', 'User is not confirmed.');

    const poolName = srpPoolName(client.UserPoolId);
    const challenge = startSrp(poolName, user.Username, user.Password, A);
    this.remember(challenge.session.secretBlock, {
      srp: challenge.session,
      clientId,
      userPoolId: client.UserPoolId,
      username: user.Username,
      expiresAt: Date.now() + SESSION_TTL_MS,
    });
    return {
      status: 200,
      body: {
        ChallengeName: 'PASSWORD_VERIFIER',
        ChallengeParameters: {
          SALT: challenge.salt,
          SECRET_BLOCK: challenge.session.secretBlock,
          SRP_B: challenge.srpB,
          USERNAME: user.Username,
          USER_ID_FOR_SRP: user.Username,
        },
      },
    };
  }

  async respond(params: Params): Promise<CognitoAnswer> {
    const responses = params.ChallengeResponses ?? {};
    const secretBlock = text(responses.PASSWORD_CLAIM_SECRET_BLOCK);
    const pending = this.pending.get(secretBlock);
    this.pending.delete(secretBlock); // one attempt per challenge, as Cognito allows
    const clientId = text(params.ClientId);
    if (!pending || pending.expiresAt < Date.now() || pending.clientId !== clientId) {
      return fail('NotAuthorizedException', 'Invalid session for the user, session is expired.');
    }
    const timestamp = text(responses.TIMESTAMP);
    if (parseSrpTimestamp(timestamp) === undefined)
      return fail('InvalidParameterException', 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.');
    const client = this.state.client(clientId);
    if (client?.ClientSecret && text(responses.SECRET_HASH) !== secretHash(text(responses.USERNAME), clientId, client.ClientSecret)) {
      return fail('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
    }
    const valid = verifySrpClaim(pending.srp, {
      poolName: srpPoolName(pending.userPoolId),
      userIdForSrp: pending.username,
      timestamp,
      signature: text(responses.PASSWORD_CLAIM_SIGNATURE),
    });
    const user = this.state.user(pending.userPoolId, pending.username);
    if (!valid || !user?.Password) return WRONG;
    return this.afterClaim(pending.userPoolId, clientId, pending.username, user.Password);
  }

  private remember(secretBlock: string, signIn: PendingSignIn): void {
    const now = Date.now();
    for (const [key, value] of this.pending) if (value.expiresAt < now) this.pending.delete(key);
    if (this.pending.size >= MAX_SESSIONS) this.pending.delete(this.pending.keys().next().value!);
    this.pending.set(secretBlock, signIn);
  }
}
