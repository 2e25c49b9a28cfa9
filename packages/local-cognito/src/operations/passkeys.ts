import { type CognitoAnswer, fail, text } from '../cognito-answer.js';
import { claimsOf } from '../signing-key.js';
import { API_SCOPE } from '../token-issuer.js';
import type { Operation, OperationContext, Params } from './context.js';

/** ListWebAuthnCredentials' MaxResults: Cognito's range and default. */
const MAX_RESULTS = 20;

interface SignedInUser {
  userPoolId: string;
  clientId: string;
  sub: string;
  username: string;
}

/**
 * The user of the operation's access token (answerOperation has already refused a bad, revoked or
 * expired one): Cognito's passkey operations also need the API scope, which Hosted UI tokens may lack.
 */
function signedInUser(params: Params): SignedInUser | CognitoAnswer {
  if (typeof params.AccessToken !== 'string') {
    return fail(
      'InvalidParameterException',
      "1 validation error detected: Value null at 'accessToken' failed to satisfy constraint: Member must not be null",
    );
  }
  const claims = claimsOf(params.AccessToken);
  if (!text(claims.scope).split(' ').includes(API_SCOPE))
    return fail('NotAuthorizedException', 'Access Token does not have required scopes');
  return {
    userPoolId: text(claims.iss).split('/').pop()!,
    clientId: text(claims.client_id),
    sub: text(claims.sub),
    username: text(claims.username),
  };
}

const isAnswer = (value: SignedInUser | CognitoAnswer): value is CognitoAnswer => 'status' in value;

/** Passkeys are a first factor of the pool's sign-in policy, allowed unless the pool leaves WEB_AUTHN out. */
function webAuthnEnabled(context: OperationContext, userPoolId: string): boolean {
  return context.state.allowedFirstFactors(userPoolId)?.includes('WEB_AUTHN') ?? true;
}
const NOT_ENABLED = fail(
  'WebAuthnNotEnabledException',
  'WebAuthn is not enabled for this user pool: add WEB_AUTHN to its SignInPolicy.AllowedFirstAuthFactors.',
);

const startWebAuthnRegistration: Operation = (context, params) => {
  const user = signedInUser(params);
  if (isAnswer(user)) return user;
  if (!webAuthnEnabled(context, user.userPoolId)) return NOT_ENABLED;
  return {
    status: 200,
    body: { CredentialCreationOptions: context.passkeys.creationOptions(user.userPoolId, user.clientId, user.sub, user.username) },
  };
};

const completeWebAuthnRegistration: Operation = (context, params) => {
  const user = signedInUser(params);
  if (isAnswer(user)) return user;
  if (!webAuthnEnabled(context, user.userPoolId)) return NOT_ENABLED;
  return context.passkeys.register(user.userPoolId, user.clientId, user.sub, params.Credential);
};

/** NextToken: where the last page ended, tied to its user so that it pages nobody else's list. */
const pageToken = (sub: string, createdAt: number, credentialId: string): string =>
  Buffer.from(JSON.stringify({ sub, after: [createdAt, credentialId] })).toString('base64url');

function pageStart(token: unknown, sub: string): { createdAt: number; credentialId: string } | undefined | false {
  if (token === undefined) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(text(token), 'base64url').toString('utf8')) as { sub?: unknown; after?: unknown };
    const [createdAt, credentialId] = Array.isArray(parsed.after) ? (parsed.after as unknown[]) : [];
    if (parsed.sub !== sub || typeof createdAt !== 'number' || typeof credentialId !== 'string') return false;
    return { createdAt, credentialId };
  } catch {
    return false;
  }
}

const listWebAuthnCredentials: Operation = (context, params) => {
  const user = signedInUser(params);
  if (isAnswer(user)) return user;
  const max = params.MaxResults ?? MAX_RESULTS;
  if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > MAX_RESULTS) {
    return fail('InvalidParameterException', `MaxResults must be an integer from 1 to ${MAX_RESULTS}.`);
  }
  const start = pageStart(params.NextToken, user.sub);
  if (start === false) return fail('InvalidParameterException', 'The NextToken is not valid.');
  const all = context.passkeys.list(user.userPoolId, user.sub);
  const rest = start
    ? all.filter((p) => p.createdAt > start.createdAt || (p.createdAt === start.createdAt && p.credentialId > start.credentialId))
    : all;
  const page = rest.slice(0, max as number);
  const last = page.at(-1);
  return {
    status: 200,
    body: {
      Credentials: page.map((passkey) => ({
        CredentialId: passkey.credentialId,
        FriendlyCredentialName: passkey.friendlyName,
        RelyingPartyId: passkey.relyingPartyId,
        ...(passkey.attachment ? { AuthenticatorAttachment: passkey.attachment } : {}),
        AuthenticatorTransports: passkey.transports,
        // Epoch seconds, as Cognito's JSON API writes timestamps.
        CreatedAt: passkey.createdAt / 1000,
      })),
      ...(last && rest.length > page.length ? { NextToken: pageToken(user.sub, last.createdAt, last.credentialId) } : {}),
    },
  };
};

const deleteWebAuthnCredential: Operation = (context, params) => {
  const user = signedInUser(params);
  if (isAnswer(user)) return user;
  const credentialId = text(params.CredentialId);
  if (!credentialId) return fail('InvalidParameterException', 'CredentialId is required.');
  if (!context.passkeys.remove(user.userPoolId, user.sub, credentialId)) {
    return fail('ResourceNotFoundException', 'The passkey credential was not found.');
  }
  return { status: 200, body: {} };
};

export const passkeyOperations: Record<string, Operation> = {
  StartWebAuthnRegistration: startWebAuthnRegistration,
  CompleteWebAuthnRegistration: completeWebAuthnRegistration,
  ListWebAuthnCredentials: listWebAuthnCredentials,
  DeleteWebAuthnCredential: deleteWebAuthnCredential,
};
