import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Claims a pre-token-generation trigger can neither add, override nor suppress (Cognito's documented list). */
const PROTECTED_CLAIMS = new Set([
  'acr',
  'amr',
  'at_hash',
  'auth_time',
  'azp',
  'cognito:username',
  'exp',
  'iat',
  'identities',
  'iss',
  'jti',
  'nbf',
  'nonce',
  'origin_jti',
  'sub',
  'token_use',
]);
/** Claims Cognito keeps as it writes them in each token: the rest of the event says how to change groups and scopes. */
const ID_TOKEN_KEPT = new Set(['aud', 'event_id', 'cognito:groups', 'cognito:roles', 'cognito:preferred_role']);
const ACCESS_TOKEN_KEPT = new Set(['aud', 'client_id', 'event_id', 'scope', 'username', 'version', 'cognito:groups']);

/** A pre-token-generation trigger, as a Lambda handler: the event in, the event (or its response) out. */
export type PreTokenHook = (event: PreTokenEvent) => Promise<PreTokenEvent>;

export interface PreTokenEvent {
  version: '2' | '3';
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName?: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: {
    userAttributes: Record<string, string>;
    groupConfiguration: { groupsToOverride: string[]; iamRolesToOverride: string[]; preferredRole: string | null };
    scopes: string[];
  };
  response: { claimsAndScopeOverrideDetails: OverrideDetails | null };
}

interface TokenOverride {
  claimsToAddOrOverride?: Record<string, unknown>;
  claimsToSuppress?: string[];
  scopesToAdd?: string[];
  scopesToSuppress?: string[];
}

interface OverrideDetails {
  idTokenGeneration?: TokenOverride;
  accessTokenGeneration?: TokenOverride;
  groupOverrideDetails?: { groupsToOverride?: string[]; iamRolesToOverride?: string[]; preferredRole?: string | null };
}

/** A hook's failure: the sign-in fails as Cognito fails it (UserLambdaValidationException). */
export class PreTokenHookError extends Error {}

/**
 * Loads the module named by LOCAL_PRE_TOKEN_HOOK (a path from the working directory) on first use:
 * its default export or its `handler`, sync or async, like a Lambda handler.
 */
export function preTokenHook(modulePath: string): PreTokenHook {
  let loaded: Promise<(event: PreTokenEvent) => unknown> | undefined;
  const load = async () => {
    const module = (await import(pathToFileURL(resolve(modulePath)).href)) as { default?: unknown; handler?: unknown };
    const handler = typeof module.default === 'function' ? module.default : module.handler;
    if (typeof handler !== 'function') throw new Error(`${modulePath} exports no function (default export or handler)`);
    return handler as (event: PreTokenEvent) => unknown;
  };
  return async (event) => {
    try {
      loaded ??= load();
      const answer = await (await loaded)(structuredClone(event));
      return (answer && typeof answer === 'object' ? answer : event) as PreTokenEvent;
    } catch (error) {
      throw new PreTokenHookError(`PreTokenGeneration failed with error ${error instanceof Error ? error.message : String(error)}.`);
    }
  };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

function applyClaims(claims: Record<string, unknown>, override: TokenOverride | undefined, kept: Set<string>): Record<string, unknown> {
  const result = { ...claims };
  const changeable = (name: string) => !PROTECTED_CLAIMS.has(name) && !kept.has(name);
  const added = override?.claimsToAddOrOverride;
  if (added && typeof added === 'object') {
    for (const [name, value] of Object.entries(added)) if (changeable(name) && value !== undefined) result[name] = value;
  }
  for (const name of strings(override?.claimsToSuppress)) if (changeable(name)) delete result[name];
  return result;
}

/** The hook's answer applied to the claims of both tokens, as Cognito applies it. */
export function applyOverrides(
  idClaims: Record<string, unknown> | undefined,
  accessClaims: Record<string, unknown>,
  details: OverrideDetails | null | undefined,
): { id?: Record<string, unknown>; access: Record<string, unknown> } {
  if (!details || typeof details !== 'object') return { id: idClaims, access: accessClaims };
  const groups = details.groupOverrideDetails;
  const groupClaims = (claims: Record<string, unknown>): Record<string, unknown> => {
    if (!groups || !Array.isArray(groups.groupsToOverride)) return claims;
    const { 'cognito:groups': _groups, ...rest } = claims;
    const list = strings(groups.groupsToOverride);
    return list.length > 0 ? { ...rest, 'cognito:groups': list } : rest;
  };
  const id = idClaims ? applyClaims(groupClaims(idClaims), details.idTokenGeneration, ID_TOKEN_KEPT) : undefined;
  if (id && groups) {
    const roles = strings(groups.iamRolesToOverride);
    if (Array.isArray(groups.iamRolesToOverride)) {
      delete id['cognito:roles'];
      if (roles.length > 0) id['cognito:roles'] = roles;
    }
    if (typeof groups.preferredRole === 'string') id['cognito:preferred_role'] = groups.preferredRole;
  }
  const accessOverride = details.accessTokenGeneration;
  const access = applyClaims(groupClaims(accessClaims), accessOverride, ACCESS_TOKEN_KEPT);
  const suppressed = new Set(strings(accessOverride?.scopesToSuppress));
  const scopes = [
    ...(typeof accessClaims.scope === 'string' ? accessClaims.scope.split(' ') : []),
    ...strings(accessOverride?.scopesToAdd),
  ].filter((scope) => scope && !/\s/.test(scope) && !suppressed.has(scope));
  const scope = [...new Set(scopes)].join(' ');
  if (scope) access.scope = scope;
  else delete access.scope;
  return { id, access };
}

/** The event Cognito sends: version 2 for a person's tokens, version 3 for a machine's (client credentials). */
export function preTokenEvent(input: {
  triggerSource: string;
  userPoolId: string;
  clientId: string;
  userName?: string;
  userAttributes?: Record<string, string>;
  groups?: string[];
  scopes: string[];
}): PreTokenEvent {
  const machine = input.triggerSource === 'TokenGeneration_ClientCredentials';
  const prefix = input.userPoolId.split('_')[0];
  return {
    version: machine ? '3' : '2',
    triggerSource: input.triggerSource,
    region: /^[a-z]{2}(-[a-z]+)+-\d+$/.test(prefix) ? prefix : 'us-east-1',
    userPoolId: input.userPoolId,
    ...(machine ? {} : { userName: input.userName }),
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: input.clientId },
    request: {
      userAttributes: input.userAttributes ?? {},
      groupConfiguration: { groupsToOverride: input.groups ?? [], iamRolesToOverride: [], preferredRole: null },
      scopes: input.scopes,
    },
    response: { claimsAndScopeOverrideDetails: null },
  };
}
