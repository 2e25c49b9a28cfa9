import { confirmSignIn, fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { randomUUID } from 'node:crypto';
import { createUser, latestCode } from '../testing/local-pool.mjs';
import { helperOptions, SRP_TEST_TIMEOUT_MS, useTestPool } from './support/test-pool.js';

const USER_AUTH = { authFlowType: 'USER_AUTH' } as const;
const wrongCode = (code: string | undefined) => (code === '00000000' ? '11111111' : '00000000');

/** Choice-based sign-in (USER_AUTH) driven by aws-amplify 6, unchanged but for userPoolEndpoint. */
describe('choice-based sign-in (USER_AUTH) with aws-amplify 6', () => {
  const pool = useTestPool({}, { amplify: true });
  const options = helperOptions(pool);
  afterEach(async () => {
    await signOut();
  });

  const signedInAs = async (): Promise<unknown> => (await fetchAuthSession()).tokens?.accessToken.payload.username;

  it('signs in with a code sent to the verified email, refusing a wrong code first', async () => {
    await expect(signIn({ username: 'alice', options: { ...USER_AUTH, preferredChallenge: 'EMAIL_OTP' } })).resolves.toEqual({
      isSignedIn: false,
      nextStep: {
        signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE',
        codeDeliveryDetails: { deliveryMedium: 'EMAIL', destination: 'a***@e***' },
      },
    });
    const code = await latestCode('alice', { ...options, kind: 'email-otp' });
    expect(code).toMatch(/^\d{8}$/);
    await expect(confirmSignIn({ challengeResponse: wrongCode(code) })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    await expect(confirmSignIn({ challengeResponse: code! })).resolves.toMatchObject({
      isSignedIn: true,
      nextStep: { signInStep: 'DONE' },
    });
    expect(await signedInAs()).toBe('alice');
  });

  it('without a preference, lists the factors this user can use, then signs in with the one chosen', async () => {
    await expect(signIn({ username: 'alice', options: USER_AUTH })).resolves.toEqual({
      isSignedIn: false,
      nextStep: {
        signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
        availableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'],
      },
    });
    await expect(confirmSignIn({ challengeResponse: 'PASSWORD' })).resolves.toMatchObject({
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_PASSWORD' },
    });
    await expect(confirmSignIn({ challengeResponse: 'Alice-pass-1' })).resolves.toMatchObject({ isSignedIn: true });
    expect(await signedInAs()).toBe('alice');
    await signOut();

    await signIn({ username: 'alice', options: USER_AUTH });
    await expect(confirmSignIn({ challengeResponse: 'EMAIL_OTP' })).resolves.toMatchObject({
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' },
    });
    await expect(confirmSignIn({ challengeResponse: (await latestCode('alice', options))! })).resolves.toMatchObject({ isSignedIn: true });
  });

  it('signs in with a password as the preferred factor, refusing a wrong one as Cognito does', async () => {
    await expect(
      signIn({ username: 'alice', password: 'Not-her-pass-1', options: { ...USER_AUTH, preferredChallenge: 'PASSWORD' } }),
    ).rejects.toMatchObject({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    await expect(
      signIn({ username: 'alice', password: 'Alice-pass-1', options: { ...USER_AUTH, preferredChallenge: 'PASSWORD' } }),
    ).resolves.toMatchObject({ isSignedIn: true });
    expect(await signedInAs()).toBe('alice');
  });

  it('signs in with an SMS code when the user has a verified phone number, and ends the session after three wrong codes', async () => {
    const username = `texter-${randomUUID().slice(0, 8)}`;
    await createUser(
      { username, password: 'Text-pass-1', attributes: { phone_number: '+15555550123', phone_number_verified: 'true' } },
      options,
    );
    await expect(signIn({ username, options: USER_AUTH })).resolves.toMatchObject({
      nextStep: { availableChallenges: ['PASSWORD', 'PASSWORD_SRP', 'SMS_OTP'] },
    });
    await expect(signIn({ username, options: { ...USER_AUTH, preferredChallenge: 'SMS_OTP' } })).resolves.toMatchObject({
      nextStep: {
        signInStep: 'CONFIRM_SIGN_IN_WITH_SMS_CODE',
        codeDeliveryDetails: { deliveryMedium: 'SMS', destination: '+*******0123' },
      },
    });
    const code = await latestCode(username, { ...options, kind: 'sms-otp' });
    for (let tries = 0; tries < 3; tries++) {
      await expect(confirmSignIn({ challengeResponse: wrongCode(code) })).rejects.toMatchObject({ name: 'CodeMismatchException' });
    }
    await expect(confirmSignIn({ challengeResponse: code! })).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    await signIn({ username, options: { ...USER_AUTH, preferredChallenge: 'SMS_OTP' } });
    const next = await latestCode(username, { ...options, kind: 'sms-otp' });
    await expect(confirmSignIn({ challengeResponse: next! })).resolves.toMatchObject({ isSignedIn: true });
    expect(await signedInAs()).toBe(username);
  });

  it(
    'signs in with SRP as the preferred factor',
    async () => {
      await expect(
        signIn({ username: 'admin', password: 'Admin-pass-1', options: { ...USER_AUTH, preferredChallenge: 'PASSWORD_SRP' } }),
      ).resolves.toMatchObject({ isSignedIn: true });
      expect((await fetchAuthSession()).tokens?.accessToken.payload['cognito:groups']).toEqual(['admin']);
    },
    SRP_TEST_TIMEOUT_MS,
  );
});
