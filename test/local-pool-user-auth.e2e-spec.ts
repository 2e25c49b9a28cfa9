import { confirmSignIn, confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { randomUUID } from 'node:crypto';
import { latestCode } from '../packages/local-cognito/testing/local-pool.mjs';
import { call } from './support/http.js';
import { configureAmplify } from './support/amplify.js';
import { testStack } from './support/stack-env.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// The pool's own cases (wrong codes, limits, each factor) are in packages/local-cognito/test.
describe('a new user signs up and signs in with an emailed code (aws-amplify 6, USER_AUTH), tokens for this API', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
    configureAmplify();
  });
  afterAll(async () => {
    await signOut();
    await sut.close();
  });

  it('signs up, confirms with the code from the outbox, signs in with EMAIL_OTP, and opens /api/v1/me', async () => {
    const username = `otp-${randomUUID().slice(0, 8)}`;
    const email = `${username}@example.com`;
    const outbox = { endpoint: testStack().emulatorEndpoint };
    await signUp({ username, password: 'Otp-pass-1', options: { userAttributes: { email, given_name: 'Otto' } } });
    await confirmSignUp({ username, confirmationCode: (await latestCode(username, outbox))! });

    await expect(signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } })).resolves.toMatchObject({
      nextStep: { signInStep: 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE' },
    });
    await expect(
      confirmSignIn({ challengeResponse: (await latestCode(username, { ...outbox, kind: 'email-otp' }))! }),
    ).resolves.toMatchObject({
      isSignedIn: true,
    });

    const accessToken = (await fetchAuthSession()).tokens!.accessToken.toString();
    const response = await call(`${sut.url}/api/v1/me`, { token: accessToken });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ username, email, emailVerified: true, firstName: 'Otto' });
  });
});
