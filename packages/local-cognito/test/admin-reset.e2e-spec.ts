import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { confirmResetPassword, signIn, signOut } from 'aws-amplify/auth';
import { randomUUID } from 'node:crypto';
import { createUser, getTokens, latestCode } from '../testing/local-pool.mjs';
import { helperOptions, POOL_START_TIMEOUT_MS, useTestPool } from './support/test-pool.js';

const PASSWORD = 'Before-reset-1';
const RESET_REQUIRED = { name: 'PasswordResetRequiredException', message: 'Password reset required for the user' };
/** USER_AUTH with a password: the SPA's sign-in without SRP's arithmetic. */
const WITH_PASSWORD = { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } as const;

/** AdminResetUserPassword as Cognito answers it, seen by an SPA's aws-amplify 6 and by the AWS SDK. */
describe("an administrator's password reset (AdminResetUserPassword)", () => {
  const pool = useTestPool({}, { amplify: true });
  const options = helperOptions(pool);
  afterEach(async () => {
    await signOut().catch(() => undefined);
  });

  const newUser = async () => {
    const username = `reset-${randomUUID().slice(0, 8)}`;
    await createUser({ username, password: PASSWORD, attributes: { email: `${username}@example.com`, email_verified: 'true' } }, options);
    return username;
  };
  const status = async (username: string) => {
    const { UserStatus } = await pool.sdk.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: username }));
    const { Users } = await pool.sdk.send(new ListUsersCommand({ UserPoolId: pool.userPoolId, Filter: `username = "${username}"` }));
    return [UserStatus, Users?.map((user) => user.UserStatus)];
  };
  const reset = (username: string) => pool.sdk.send(new AdminResetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: username }));
  const passwordSignIn = (username: string, password: string) =>
    pool.sdk.send(
      new InitiateAuthCommand({
        ClientId: pool.backendClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );

  it('marks the user RESET_REQUIRED; the right password answers PasswordResetRequiredException, and the emailed code sets a new one', async () => {
    const username = await newUser();
    await expect(reset(username)).resolves.toBeDefined();
    expect(await status(username)).toEqual(['RESET_REQUIRED', ['RESET_REQUIRED']]);
    const code = await latestCode(username, { ...options, kind: 'forgot-password' });
    expect(code).toMatch(/^\d{6}$/);

    // Amplify turns the refusal into its next step; the other flows answer the exception itself.
    await expect(signIn({ username, password: PASSWORD, options: WITH_PASSWORD })).resolves.toEqual({
      isSignedIn: false,
      nextStep: { signInStep: 'RESET_PASSWORD' },
    });
    await expect(passwordSignIn(username, PASSWORD)).rejects.toMatchObject(RESET_REQUIRED);
    await expect(getTokens(username, PASSWORD, options)).rejects.toMatchObject({ code: RESET_REQUIRED.name });
    // A wrong password says no more than for anyone else.
    await expect(passwordSignIn(username, 'Wrong-pass-1')).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Incorrect username or password.',
    });

    await confirmResetPassword({ username, confirmationCode: code!, newPassword: 'After-reset-2' });
    expect(await status(username)).toEqual(['CONFIRMED', ['CONFIRMED']]);
    await expect(signIn({ username, password: 'After-reset-2', options: WITH_PASSWORD })).resolves.toMatchObject({ isSignedIn: true });
    await expect(passwordSignIn(username, PASSWORD)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it(
    "survives a restart; refuses the Hosted UI's sign-in with the right password too, until an administrator sets a new one",
    async () => {
      const username = await newUser();
      await reset(username);
      await pool.restart();
      expect(await status(username)).toEqual(['RESET_REQUIRED', ['RESET_REQUIRED']]);

      const request = {
        client_id: pool.webClientId,
        response_type: 'code',
        redirect_uri: 'http://localhost:3000/callback',
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
      };
      const hostedUi = (password: string) =>
        fetch(`${pool.endpoint}/oauth2/authorize`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...request, username, password }).toString(),
          redirect: 'manual',
        });
      const refused = await hostedUi(PASSWORD);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('Password reset required for the user.');

      // An administrator's new password ends the reset.
      await pool.sdk.send(
        new AdminSetUserPasswordCommand({ UserPoolId: pool.userPoolId, Username: username, Password: 'Set-by-admin-3', Permanent: true }),
      );
      expect(await status(username)).toEqual(['CONFIRMED', ['CONFIRMED']]);
      expect((await hostedUi('Set-by-admin-3')).status).toBe(302);
    },
    POOL_START_TIMEOUT_MS,
  );

  it('refuses a user without a verified email, and an invited user who never signed in, as Cognito does', async () => {
    const username = `unverified-${randomUUID().slice(0, 8)}`;
    await createUser({ username, password: PASSWORD, attributes: { email: `${username}@example.com` } }, options);
    await expect(reset(username)).rejects.toMatchObject({ name: 'InvalidParameterException' });
    expect(await status(username)).toEqual(['CONFIRMED', ['CONFIRMED']]);

    const invited = `invited-${randomUUID().slice(0, 8)}`;
    await pool.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: invited,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: `${invited}@example.com` },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
    await expect(reset(invited)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    expect(await status(invited)).toEqual(['FORCE_CHANGE_PASSWORD', ['FORCE_CHANGE_PASSWORD']]);
    await expect(reset('nobody-here')).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });
});
