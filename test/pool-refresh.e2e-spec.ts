import { GetTokensFromRefreshTokenCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient } from '@backend/local-cognito';
import { call } from './support/http.js';
import { testStack } from './support/stack-env.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// The pool's own refresh and rotation cases are in packages/local-cognito/test: here, its tokens open this API.
describe('tokens of the local pool after a refresh with rotation (GetTokensFromRefreshToken), for this API', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut.close();
  });

  it('opens /api/v1/me with the tokens of a sign-in and of each refresh through the web-rotating client', async () => {
    const stack = testStack();
    const cognito = emulatorClient(stack.emulatorEndpoint);
    try {
      const signIn = await cognito.send(
        new InitiateAuthCommand({
          ClientId: stack.webRotatingClientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-pass-1' },
        }),
      );
      let { AccessToken: accessToken, RefreshToken: refreshToken } = signIn.AuthenticationResult!;
      for (let round = 0; round < 2; round++) {
        const me = await call(`${sut.url}/api/v1/me`, { token: accessToken });
        expect(me.status).toBe(200);
        expect(me.body).toMatchObject({ username: 'alice' });
        const refreshed = await cognito.send(
          new GetTokensFromRefreshTokenCommand({ ClientId: stack.webRotatingClientId, RefreshToken: refreshToken }),
        );
        expect(refreshed.AuthenticationResult?.RefreshToken).not.toBe(refreshToken);
        ({ AccessToken: accessToken, RefreshToken: refreshToken } = refreshed.AuthenticationResult!);
      }
    } finally {
      cognito.destroy();
    }
  });
});
