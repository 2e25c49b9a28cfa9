/** Where the local pool is. Without endpoint + userPoolId + clientId, read from the stack file. */
export interface LocalPoolOptions {
  /** Default: the LOCAL_STACK_FILE variable, else this repository's `.data/local-stack.json`. */
  stackFile?: string;
  /** One of the stack file's pools by its name for the API, e.g. `staff`; default the first (`default`). */
  pool?: string;
  /** The emulator, e.g. http://127.0.0.1:9229. */
  endpoint?: string;
  userPoolId?: string;
  /** An app client with ALLOW_ADMIN_USER_PASSWORD_AUTH (the stack's "backend" client). */
  clientId?: string;
}

/** One pool of the stack file: the same fields as the file's top level, which describe the first pool. */
export interface LocalStackPool {
  endpoint: string;
  userPoolId: string;
  backendClientId: string;
  region?: string;
  webClientId?: string;
  webRotatingClientId?: string;
  serviceClientId?: string;
  serviceClientSecret?: string;
  adminGroup?: string;
  users: Array<{ username: string; password: string; groups: string[] }>;
}

/** What `npm start` writes to `.data/local-stack.json`. */
export interface LocalStack {
  /** Every pool by its name for the API (`default`, `staff`), each with the fields below. */
  pools?: Record<string, LocalStackPool>;
  endpoint: string;
  userPoolId: string;
  backendClientId: string;
  region?: string;
  webClientId?: string;
  /** The confidential `service` client of the client-credentials grant. */
  serviceClientId?: string;
  serviceClientSecret?: string;
  /** The API's base URL, e.g. http://localhost:8000. */
  apiUrl?: string;
  adminGroup?: string;
  /** The seeded users, with their passwords. */
  users: Array<{ username: string; password: string; groups: string[] }>;
}

export interface NewUser {
  username: string;
  password: string;
  /** Cognito attributes, e.g. { email: 'bob@example.com', email_verified: 'true', given_name: 'Bob' }. */
  attributes?: Record<string, string | boolean | number>;
  /** Groups to put the user in, e.g. ['admin']; missing groups are created. */
  groups?: string[];
}

export interface CreatedUser {
  username: string;
  password: string;
  /** The Cognito subject: the `sub` claim of the user's tokens. */
  sub: string;
  groups: string[];
}

export interface Tokens {
  /** Send this one: `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  /** Not accepted by the API (it identifies, it does not authorize). */
  idToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds the access token is valid from now. */
  expiresIn: number;
  /** When the access token expires, ISO 8601. */
  expiresAt: string;
}

export interface ClientTokenOptions extends LocalPoolOptions {
  /** Default: the stack file's service client. */
  serviceClientId?: string;
  serviceClientSecret?: string;
  /** Space-separated scopes to ask for; default: all the client's, e.g. `backend/users.read`. */
  scope?: string;
}

export interface ClientToken {
  /** A machine's token: no username, `sub` = the client id; send it as `Authorization: Bearer <accessToken>`. */
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  expiresAt: string;
  /** The scopes granted, space-separated. */
  scope: string;
}

export declare const DEFAULT_STACK_FILE: string;

export declare class LocalPoolError extends Error {
  /** Cognito's exception name (UsernameExistsException, NotAuthorizedException, ...), or EmulatorUnreachable, StackFileMissing, UnknownPool, ChallengeRequired, UnexpectedResponse. */
  readonly code: string;
}

export declare function readLocalStack(options?: LocalPoolOptions): LocalStack;
export declare function createUser(user: NewUser, options?: LocalPoolOptions): Promise<CreatedUser>;
export declare function deleteUser(username: string, options?: LocalPoolOptions): Promise<boolean>;
/** A client-credentials access token from the local pool's /oauth2/token (the `service` client by default). */
export declare function getClientToken(options?: ClientTokenOptions): Promise<ClientToken>;
/**
 * `password` may be left out for the seeded users (alice, admin; sam with `{ pool: 'staff' }`). A wrong password and an unknown user both
 * fail with code `NotAuthorizedException` ("Incorrect username or password."), as Cognito answers them.
 */
export declare function getTokens(username: string, password?: string, options?: LocalPoolOptions): Promise<Tokens>;

/** What the pool sent: `kind` says what for; an invitation's `code` is its temporary password. */
export interface OutboxMessage {
  username: string;
  /** The email address or phone number it would have gone to. */
  destination: string;
  kind: 'sign-up' | 'forgot-password' | 'verify-email' | 'verify-phone_number' | 'email-otp' | 'sms-otp' | 'invitation';
  code: string;
  /** ISO 8601. */
  sentAt: string;
}

export interface MessageOptions extends LocalPoolOptions {
  /** Only messages of this kind. */
  kind?: OutboxMessage['kind'];
}

/** Every message the local pool "sent" to `username`, newest first (GET <endpoint>/_local/messages?username=). */
export declare function listMessages(username: string, options?: LocalPoolOptions): Promise<OutboxMessage[]>;
/** The code of the newest message to `username` (of `options.kind` when given); undefined when none was sent. */
export declare function latestCode(username: string, options?: MessageOptions): Promise<string | undefined>;
