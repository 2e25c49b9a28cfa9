import type { ClientSettings } from '../client-settings.js';
import type { CognitoAnswer } from '../cognito-answer.js';
import type { EmulatorState } from '../emulator-state.js';
import type { Passkeys } from '../passkeys.js';
import type { PasswordResets } from '../password-resets.js';
import type { SessionStore } from '../session-store.js';
import type { SrpSignIn } from '../srp-sign-in.js';
import type { UserAuth } from '../user-auth.js';
import type { TokenIssuer } from '../token-issuer.js';

/** The emulator's answer to one JSON API call. */
export interface EmulatorResponse {
  status: number;
  json: Record<string, unknown>;
}

/** What every operation of the front may use. */
export interface OperationContext {
  state: EmulatorState;
  sessions: SessionStore;
  /** Users an administrator reset: their sign-ins answer PasswordResetRequiredException. */
  resets: PasswordResets;
  clients: ClientSettings;
  tokens: TokenIssuer;
  /** USER_SRP_AUTH sign-ins between their two steps. */
  srp: SrpSignIn;
  /** Choice-based sign-in (USER_AUTH) between its steps. */
  userAuth: UserAuth;
  /** Registered passkeys and the WebAuthn ceremonies. */
  passkeys: Passkeys;
  /** One call of the emulator's JSON API (AWSCognitoIdentityProviderService.<target>). */
  emulator: (target: string, params: object) => Promise<EmulatorResponse>;
}

export type Params = Record<string, unknown>;

/**
 * One operation of Cognito's JSON API answered by the front: a CognitoAnswer, or undefined to let
 * the emulator answer the request as it is.
 */
export type Operation = (context: OperationContext, params: Params) => Promise<CognitoAnswer | undefined> | CognitoAnswer | undefined;
