import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import {
  confirmResetPassword,
  confirmSignUp,
  confirmUserAttribute,
  fetchUserAttributes,
  resendSignUpCode,
  resetPassword,
  signIn,
  signOut,
  signUp,
  updatePassword,
  updateUserAttributes,
} from 'aws-amplify/auth';
import { randomUUID } from 'node:crypto';
import { getTokens, latestCode, listMessages } from '../testing/local-pool.mjs';
import { helperOptions, useTestPool } from './support/test-pool.js';

const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/** An SPA's self-service flows with aws-amplify 6, unchanged but for userPoolEndpoint; the codes read from the outbox. */
describe('sign-up, password reset and attribute changes (aws-amplify 6)', () => {
  const pool = useTestPool({}, { amplify: true });
  const options = helperOptions(pool);

  const signUpUser = async (username: string, password = 'New-pass-1') => {
    const result = await signUp({ username, password, options: { userAttributes: { email: `${username}@example.com` } } });
    expect(result).toMatchObject({
      isSignUpComplete: false,
      nextStep: { signUpStep: 'CONFIRM_SIGN_UP', codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: `${username[0]}***@e***` } },
    });
    return result;
  };

  it('signs a new user up, sends the code to the outbox, refuses a wrong one, then confirms and signs in', async () => {
    const username = uniqueName('newbie');
    const { userId } = await signUpUser(username);
    const [message] = await listMessages(username, options);
    expect(message).toEqual({
      username,
      destination: `${username}@example.com`,
      kind: 'sign-up',
      code: expect.stringMatching(/^\d{6}$/),
      sentAt: expect.any(String),
    });
    expect(Math.abs(Date.parse(message.sentAt) - Date.now())).toBeLessThan(60_000);

    await expect(getTokens(username, 'New-pass-1', options)).rejects.toMatchObject({ code: 'UserNotConfirmedException' });
    const wrong = message.code === '000000' ? '111111' : '000000';
    await expect(confirmSignUp({ username, confirmationCode: wrong })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await expect(confirmSignUp({ username, confirmationCode: message.code })).resolves.toMatchObject({
      isSignUpComplete: true,
      nextStep: { signUpStep: 'DONE' },
    });
    await expect(confirmSignUp({ username, confirmationCode: message.code })).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    const tokens = await getTokens(username, 'New-pass-1', options);
    const claims = JSON.parse(Buffer.from(tokens.idToken.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: userId, email: `${username}@example.com`, email_verified: true });
  });

  it("refuses a taken username, a password outside the pool's policy and a sign-up without an email", async () => {
    await expect(
      signUp({ username: 'alice', password: 'Other-pass-1', options: { userAttributes: { email: 'a2@example.com' } } }),
    ).rejects.toMatchObject({ name: 'UsernameExistsException' });
    await expect(
      signUp({ username: uniqueName('weak'), password: 'password', options: { userAttributes: { email: 'weak@example.com' } } }),
    ).rejects.toMatchObject({
      name: 'InvalidPasswordException',
      message: 'Password did not conform with policy: Password must have uppercase characters',
    });
    await expect(signUp({ username: uniqueName('mute'), password: 'New-pass-1' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
  });

  it('resends a code, replacing the last one, and refuses codes beyond the limit and tries beyond the limit', async () => {
    const username = uniqueName('resend');
    await signUpUser(username);
    const first = await latestCode(username, options);
    await expect(resendSignUpCode({ username })).resolves.toMatchObject({ deliveryMedium: 'EMAIL' });
    const second = await latestCode(username, { ...options, kind: 'sign-up' });
    expect(await listMessages(username, options)).toHaveLength(2);
    if (first !== second) {
      await expect(confirmSignUp({ username, confirmationCode: first! })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    }
    for (let sent = 2; sent < 5; sent++) await resendSignUpCode({ username });
    await expect(resendSignUpCode({ username })).rejects.toMatchObject({ name: 'LimitExceededException' });

    const code = await latestCode(username, options);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let tries = 0; tries < 5; tries++) {
      await expect(confirmSignUp({ username, confirmationCode: wrong })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    }
    await expect(confirmSignUp({ username, confirmationCode: code! })).rejects.toMatchObject({ name: 'LimitExceededException' });
  });

  it('resets a forgotten password with the emailed code', async () => {
    const username = uniqueName('forgetful');
    await signUpUser(username);
    await confirmSignUp({ username, confirmationCode: (await latestCode(username, options))! });

    await expect(resetPassword({ username })).resolves.toMatchObject({
      isPasswordReset: false,
      nextStep: { resetPasswordStep: 'CONFIRM_RESET_PASSWORD_WITH_CODE', codeDeliveryDetails: { deliveryMedium: 'EMAIL' } },
    });
    const code = await latestCode(username, { ...options, kind: 'forgot-password' });
    await expect(confirmResetPassword({ username, confirmationCode: code!, newPassword: 'short' })).rejects.toMatchObject({
      name: 'InvalidPasswordException',
    });
    await confirmResetPassword({ username, confirmationCode: code!, newPassword: 'Reset-pass-2' });
    await expect(getTokens(username, 'New-pass-1', options)).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    await expect(getTokens(username, 'Reset-pass-2', options)).resolves.toMatchObject({ tokenType: 'Bearer' });
    // No one learns from a reset whether an account exists.
    await expect(resetPassword({ username: uniqueName('nobody') })).resolves.toMatchObject({ isPasswordReset: false });
  });

  it('changes the password and a verified email of a signed-in user, the new email verified by its code', async () => {
    const username = uniqueName('mover');
    await signUpUser(username);
    await confirmSignUp({ username, confirmationCode: (await latestCode(username, options))! });
    // A password sign-in without SRP's arithmetic (srp-sign-in's subject, many seconds on a busy machine).
    const password = { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } as const;
    await expect(signIn({ username, password: 'New-pass-1', options: password })).resolves.toMatchObject({ isSignedIn: true });
    try {
      await expect(updatePassword({ oldPassword: 'Wrong-pass-1', newPassword: 'Moved-pass-2' })).rejects.toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
      await updatePassword({ oldPassword: 'New-pass-1', newPassword: 'Moved-pass-2' });
      await expect(getTokens(username, 'Moved-pass-2', options)).resolves.toMatchObject({ tokenType: 'Bearer' });

      const updated = await updateUserAttributes({ userAttributes: { email: `${username}@example.org`, given_name: 'Mo' } });
      expect(updated.email).toMatchObject({
        isUpdated: false,
        nextStep: { updateAttributeStep: 'CONFIRM_ATTRIBUTE_WITH_CODE', codeDeliveryDetails: { attributeName: 'email' } },
      });
      expect(await fetchUserAttributes()).toMatchObject({ email: `${username}@example.org`, email_verified: 'false', given_name: 'Mo' });
      const [message] = await listMessages(username, options);
      expect(message).toMatchObject({ kind: 'verify-email', destination: `${username}@example.org` });
      await expect(
        confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: message.code === '000000' ? '111111' : '000000' }),
      ).rejects.toMatchObject({
        name: 'CodeMismatchException',
      });
      await confirmUserAttribute({ userAttributeKey: 'email', confirmationCode: message.code });
      expect(await fetchUserAttributes()).toMatchObject({ email_verified: 'true' });
    } finally {
      await signOut();
    }
  });

  it("sends an invitation's temporary password to the outbox, and again on RESEND; none when suppressed", async () => {
    const username = uniqueName('invitee');
    const attributes = [{ Name: 'email', Value: `${username}@example.com` }];
    await pool.sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: username,
        UserAttributes: attributes,
        DesiredDeliveryMediums: ['EMAIL'],
      }),
    );
    const [invitation] = await listMessages(username, options);
    expect(invitation).toMatchObject({ kind: 'invitation', destination: `${username}@example.com`, code: expect.any(String) });

    await pool.sdk.send(new AdminCreateUserCommand({ UserPoolId: pool.userPoolId, Username: username, MessageAction: 'RESEND' }));
    expect(await listMessages(username, options)).toHaveLength(2);

    const quiet = uniqueName('quiet');
    await pool.sdk.send(
      new AdminCreateUserCommand({ UserPoolId: pool.userPoolId, Username: quiet, UserAttributes: attributes, MessageAction: 'SUPPRESS' }),
    );
    expect(await listMessages(quiet, options)).toEqual([]);
  });

  it('shows the outbox to a person, escaping what users typed', async () => {
    const username = `<img src=x onerror=alert(1)>${randomUUID().slice(0, 4)}`;
    await signUp({ username, password: 'New-pass-1', options: { userAttributes: { email: 'x@example.com' } } });
    const response = await fetch(`${pool.endpoint}/_local/outbox`);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await response.text();
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).not.toContain('<img src=x');
  });
});
