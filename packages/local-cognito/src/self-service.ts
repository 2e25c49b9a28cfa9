import { type AccessClaims, verifyAccessToken } from './access-token.js';
import { type CognitoAnswer, fail, text, WRONG_CREDENTIALS } from './cognito-answer.js';
import { callEmulator, type EmulatorCall } from './emulator-call.js';
import type { EmulatorClient, EmulatorState, EmulatorUser } from './emulator-state.js';
import type { MessageKind, Outbox } from './outbox.js';
import type { PasswordResets } from './password-resets.js';
import { passwordProblem } from './password-policy.js';
import { secretHash } from './secret-hash.js';
import type { CodePurpose, VerificationCodes } from './verification-codes.js';

export interface SelfServiceOptions {
  state: EmulatorState;
  emulatorCall: EmulatorCall;
  outbox: Outbox;
  codes: VerificationCodes;
  issuerBase: string;
  resets: PasswordResets;
}

type Params = Record<string, unknown>;
export type Operation = (params: Params) => CognitoAnswer | Promise<CognitoAnswer>;

interface Delivery {
  AttributeName: 'email' | 'phone_number';
  DeliveryMedium: 'EMAIL' | 'SMS';
  Destination: string;
}

const ok = (body: object = {}): CognitoAnswer => ({ status: 200, body });
const attributeOf = (user: EmulatorUser, name: string): string | undefined => user.Attributes?.find((a) => a.Name === name)?.Value;

/** Cognito shows where a code went without giving the address away: a***@e***, +*******1234. */
export function maskDestination(medium: 'EMAIL' | 'SMS', address: string): string {
  if (medium === 'SMS') return `+${'*'.repeat(Math.max(address.length - 5, 0))}${address.slice(-4)}`;
  const [local = '', domain = ''] = address.split('@');
  return `${local.slice(0, 1)}***@${domain.slice(0, 1)}***`;
}

/**
 * Sign-up, confirmation, password reset and attribute changes as Cognito answers them, with the
 * codes in the outbox. The emulator keeps the users; the codes, their limits and the password
 * policy are checked here (the emulator would print its codes to its own console and never expire them).
 */
export function selfServiceOperations(options: SelfServiceOptions): Record<string, Operation> {
  const { state, emulatorCall, outbox, codes, issuerBase, resets } = options;
  const emulator = (target: string, body: object): Promise<CognitoAnswer> => callEmulator(emulatorCall, target, body);

  /** The app client of a call without a token, its SECRET_HASH checked; or Cognito's refusal. */
  const clientOf = (params: Params): EmulatorClient | CognitoAnswer => {
    const clientId = text(params.ClientId);
    const client = state.client(clientId);
    if (!client) return fail('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    if (client.ClientSecret && text(params.SecretHash) !== secretHash(text(params.Username), clientId, client.ClientSecret)) {
      return fail('NotAuthorizedException', `Unable to verify secret hash for client ${clientId}`);
    }
    return client;
  };

  /** The signed-in user of a call with an access token. */
  const tokenUser = (params: Params): { claims: AccessClaims; userPoolId: string; user: EmulatorUser } | CognitoAnswer => {
    const claims = verifyAccessToken(params.AccessToken, issuerBase);
    if ('status' in claims) return claims;
    const userPoolId = state.client(claims.client_id)?.UserPoolId ?? '';
    const user = state.user(userPoolId, claims.username);
    if (!user) return fail('UserNotFoundException', 'User does not exist.');
    if (user.Enabled === false) return fail('NotAuthorizedException', 'User is disabled.');
    return { claims, userPoolId, user };
  };

  /** A new code for this user and purpose, written to the outbox; the delivery details Cognito answers with. */
  const sendCode = (
    userPoolId: string,
    user: EmulatorUser,
    purpose: CodePurpose,
    kind: MessageKind,
    attribute: Delivery['AttributeName'],
  ): Delivery | CognitoAnswer => {
    const address = attributeOf(user, attribute) ?? '';
    const issued = codes.issue(userPoolId, user.Username, purpose);
    if ('status' in issued) return issued;
    outbox.send({ username: user.Username, destination: address, kind, code: issued.code });
    const medium = attribute === 'email' ? 'EMAIL' : 'SMS';
    return { AttributeName: attribute, DeliveryMedium: medium, Destination: maskDestination(medium, address) };
  };

  /** What Cognito answers for a user who does not exist, so that no one learns who has an account. */
  const simulatedDelivery = (username: string): CognitoAnswer =>
    ok({
      CodeDeliveryDetails: {
        AttributeName: 'email',
        DeliveryMedium: 'EMAIL',
        Destination: maskDestination('EMAIL', `${username}@example.com`),
      },
    });

  const policyProblem = (userPoolId: string, password: string): CognitoAnswer | undefined =>
    passwordProblem(password, state.passwordPolicy(userPoolId));

  return {
    async SignUp(params) {
      const client = clientOf(params);
      if ('status' in client) return client;
      const username = text(params.Username);
      const password = text(params.Password);
      if (!username || !password) return fail('InvalidParameterException', 'Missing required parameter Username or Password');
      const attributes = (Array.isArray(params.UserAttributes) ? params.UserAttributes : []) as Array<{ Name?: unknown; Value?: unknown }>;
      if (!attributes.every((a) => typeof a?.Name === 'string' && (a.Value === undefined || typeof a.Value === 'string'))) {
        return fail('InvalidParameterException', 'UserAttributes must be a list of { Name, Value } strings');
      }
      if (!attributes.some((a) => a.Name === 'email' && a.Value)) {
        return fail('InvalidParameterException', 'Attributes did not conform to the schema: email: The attribute is required');
      }
      const problem = policyProblem(client.UserPoolId, password);
      if (problem) return problem;
      const created = await emulator('SignUp', {
        ClientId: client.ClientId,
        Username: username,
        Password: password,
        // A new user proves an address with a code; it cannot declare it verified.
        UserAttributes: attributes.filter((a) => a.Name !== 'email_verified' && a.Name !== 'phone_number_verified'),
      });
      if (created.status !== 200) return created;
      const user = state.user(client.UserPoolId, username);
      if (!user) return fail('InternalErrorException', 'The emulator did not keep the new user');
      const delivery = sendCode(client.UserPoolId, user, 'sign-up', 'sign-up', 'email');
      if ('status' in delivery) return delivery;
      return ok({ UserConfirmed: false, UserSub: (created.body as Params).UserSub, CodeDeliveryDetails: delivery });
    },

    async ConfirmSignUp(params) {
      const client = clientOf(params);
      if ('status' in client) return client;
      const user = state.user(client.UserPoolId, text(params.Username));
      if (!user) return fail('CodeMismatchException', 'Invalid verification code provided, please try again.');
      if (user.UserStatus !== 'UNCONFIRMED') {
        return fail('NotAuthorizedException', `User cannot be confirmed. Current status is ${user.UserStatus ?? 'CONFIRMED'}`);
      }
      const refused = codes.check(client.UserPoolId, user.Username, 'sign-up', text(params.ConfirmationCode));
      if (refused) return refused;
      const confirmed = await emulator('AdminConfirmSignUp', { UserPoolId: client.UserPoolId, Username: user.Username });
      if (confirmed.status !== 200) return confirmed;
      const verified = await emulator('AdminUpdateUserAttributes', {
        UserPoolId: client.UserPoolId,
        Username: user.Username,
        // The emulator sets a verified flag only beside the address it belongs to.
        UserAttributes: [
          { Name: 'email', Value: attributeOf(user, 'email') },
          { Name: 'email_verified', Value: 'true' },
        ],
      });
      return verified.status === 200 ? ok() : verified;
    },

    ResendConfirmationCode(params) {
      const client = clientOf(params);
      if ('status' in client) return client;
      const username = text(params.Username);
      const user = state.user(client.UserPoolId, username);
      if (!user) return simulatedDelivery(username);
      if (user.UserStatus !== 'UNCONFIRMED') return fail('InvalidParameterException', 'User is already confirmed.');
      const delivery = sendCode(client.UserPoolId, user, 'sign-up', 'sign-up', 'email');
      return 'status' in delivery ? delivery : ok({ CodeDeliveryDetails: delivery });
    },

    ForgotPassword(params) {
      const client = clientOf(params);
      if ('status' in client) return client;
      const username = text(params.Username);
      const user = state.user(client.UserPoolId, username);
      if (!user) return simulatedDelivery(username);
      const attribute =
        attributeOf(user, 'email') && attributeOf(user, 'email_verified') === 'true'
          ? 'email'
          : attributeOf(user, 'phone_number') && attributeOf(user, 'phone_number_verified') === 'true'
            ? 'phone_number'
            : undefined;
      if (!attribute) {
        return fail(
          'InvalidParameterException',
          'Cannot reset password for the user as there is no registered/verified email or phone_number',
        );
      }
      const delivery = sendCode(client.UserPoolId, user, 'forgot-password', 'forgot-password', attribute);
      return 'status' in delivery ? delivery : ok({ CodeDeliveryDetails: delivery });
    },

    async ConfirmForgotPassword(params) {
      const client = clientOf(params);
      if ('status' in client) return client;
      const user = state.user(client.UserPoolId, text(params.Username));
      if (!user) return fail('CodeMismatchException', 'Invalid verification code provided, please try again.');
      const password = text(params.Password);
      const problem = policyProblem(client.UserPoolId, password);
      if (problem) return problem;
      const refused = codes.check(client.UserPoolId, user.Username, 'forgot-password', text(params.ConfirmationCode));
      if (refused) return refused;
      const set = await emulator('AdminSetUserPassword', {
        UserPoolId: client.UserPoolId,
        Username: user.Username,
        Password: password,
        Permanent: true,
      });
      if (set.status !== 200) return set;
      resets.clear(client.UserPoolId, user);
      return ok();
    },

    async ChangePassword(params) {
      const signedIn = tokenUser(params);
      if ('status' in signedIn) return signedIn;
      const { userPoolId, user } = signedIn;
      if (!user.Password || text(params.PreviousPassword) !== user.Password) return WRONG_CREDENTIALS;
      const proposed = text(params.ProposedPassword);
      const problem = policyProblem(userPoolId, proposed);
      if (problem) return problem;
      const set = await emulator('AdminSetUserPassword', {
        UserPoolId: userPoolId,
        Username: user.Username,
        Password: proposed,
        Permanent: true,
      });
      return set.status === 200 ? ok() : set;
    },

    async UpdateUserAttributes(params) {
      const signedIn = tokenUser(params);
      if ('status' in signedIn) return signedIn;
      const { userPoolId, user } = signedIn;
      const attributes = (Array.isArray(params.UserAttributes) ? params.UserAttributes : []) as Array<{ Name?: unknown; Value?: unknown }>;
      if (attributes.some((a) => a?.Name === 'email_verified' || a?.Name === 'phone_number_verified')) {
        return fail('InvalidParameterException', 'Cannot modify the verified status of an attribute: verify it with a code');
      }
      const updated = await emulator('AdminUpdateUserAttributes', {
        UserPoolId: userPoolId,
        Username: user.Username,
        UserAttributes: attributes,
      });
      if (updated.status !== 200) return updated;
      const after = state.user(userPoolId, user.Username) ?? user;
      const deliveries: Delivery[] = [];
      for (const name of ['email', 'phone_number'] as const) {
        const value = attributes.find((a) => a.Name === name)?.Value;
        if (typeof value !== 'string' || value === '' || value === attributeOf(user, name)) continue;
        // A changed address is unverified until its code comes back, as in Cognito.
        await emulator('AdminUpdateUserAttributes', {
          UserPoolId: userPoolId,
          Username: user.Username,
          UserAttributes: [
            { Name: name, Value: value },
            { Name: `${name}_verified`, Value: 'false' },
          ],
        });
        const delivery = sendCode(userPoolId, after, `verify-${name}`, `verify-${name}`, name);
        if ('status' in delivery) return delivery;
        deliveries.push(delivery);
      }
      return ok({ CodeDeliveryDetailsList: deliveries });
    },

    GetUserAttributeVerificationCode(params) {
      const signedIn = tokenUser(params);
      if ('status' in signedIn) return signedIn;
      const { userPoolId, user } = signedIn;
      const name = text(params.AttributeName);
      if ((name !== 'email' && name !== 'phone_number') || !attributeOf(user, name)) {
        return fail('InvalidParameterException', `User has no attribute ${name || '(missing)'} that can be verified with a code`);
      }
      const delivery = sendCode(userPoolId, user, `verify-${name}`, `verify-${name}`, name);
      return 'status' in delivery ? delivery : ok({ CodeDeliveryDetails: delivery });
    },

    async VerifyUserAttribute(params) {
      const signedIn = tokenUser(params);
      if ('status' in signedIn) return signedIn;
      const { userPoolId, user } = signedIn;
      const name = text(params.AttributeName);
      if (name !== 'email' && name !== 'phone_number')
        return fail('InvalidParameterException', `Attribute ${name || '(missing)'} cannot be verified`);
      const refused = codes.check(userPoolId, user.Username, `verify-${name}`, text(params.Code));
      if (refused) return refused;
      const verified = await emulator('AdminUpdateUserAttributes', {
        UserPoolId: userPoolId,
        Username: user.Username,
        UserAttributes: [
          { Name: name, Value: attributeOf(user, name) },
          { Name: `${name}_verified`, Value: 'true' },
        ],
      });
      return verified.status === 200 ? ok() : verified;
    },
  };
}
