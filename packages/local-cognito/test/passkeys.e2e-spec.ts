import {
  CompleteWebAuthnRegistrationCommand,
  DeleteWebAuthnCredentialCommand,
  GetUserCommand,
  InitiateAuthCommand,
  ListWebAuthnCredentialsCommand,
  RespondToAuthChallengeCommand,
  StartWebAuthnRegistrationCommand,
  UpdateUserPoolCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { DocumentType } from '@smithy/types';
import { randomUUID } from 'node:crypto';
import { createUser } from '../testing/local-pool.mjs';
import { SoftwareAuthenticator } from './support/software-authenticator.js';
import { POOL_START_TIMEOUT_MS, useTestPool } from './support/test-pool.js';

const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

/** Passkeys through the AWS SDK, answered by a software authenticator (the browser spec uses Chromium's virtual one). */
describe('passkeys: registration, listing, deletion and WEB_AUTHN sign-in', () => {
  const pool = useTestPool();

  /** A new user signed in on the web client with a password (USER_AUTH): its access token. */
  async function newUser(): Promise<{ username: string; sub: string; accessToken: string }> {
    const username = `passkey-${randomUUID().slice(0, 8)}`;
    const { sub } = await createUser(
      { username, password: 'Passkey-pass-1', attributes: { email: `${username}@example.com`, email_verified: 'true' } },
      { stackFile: pool.stackFile },
    );
    return { username, sub, accessToken: await passwordSignIn(username, pool.webClientId) };
  }
  async function passwordSignIn(username: string, clientId: string): Promise<string> {
    const { AuthenticationResult } = await pool.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Passkey-pass-1' },
      }),
    );
    return AuthenticationResult!.AccessToken!;
  }
  const start = async (accessToken: string) =>
    (await pool.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: accessToken }))).CredentialCreationOptions as Record<
      string,
      unknown
    >;
  const complete = (accessToken: string, credential: DocumentType) =>
    pool.sdk.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: accessToken, Credential: credential }));
  async function register(accessToken: string, authenticator: SoftwareAuthenticator): Promise<string> {
    const credential = authenticator.register(await start(accessToken));
    await complete(accessToken, credential);
    return credential.id;
  }
  const list = async (accessToken: string, page: { MaxResults?: number; NextToken?: string } = {}) =>
    pool.sdk.send(new ListWebAuthnCredentialsCommand({ AccessToken: accessToken, ...page }));
  /** USER_AUTH with WEB_AUTHN preferred: the session and its parsed CREDENTIAL_REQUEST_OPTIONS. */
  async function passkeyChallenge(username: string) {
    const answer = await pool.sdk.send(
      new InitiateAuthCommand({
        ClientId: pool.webClientId,
        AuthFlow: 'USER_AUTH',
        AuthParameters: { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' },
      }),
    );
    expect(answer.ChallengeName).toBe('WEB_AUTHN');
    return {
      session: answer.Session!,
      options: JSON.parse(answer.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS) as { challenge: string } & Record<string, unknown>,
    };
  }
  const respond = (username: string, session: string, credential: string) =>
    pool.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: pool.webClientId,
        ChallengeName: 'WEB_AUTHN',
        Session: session,
        ChallengeResponses: { USERNAME: username, CREDENTIAL: credential },
      }),
    );
  const offered = async (username: string) =>
    (
      await pool.sdk.send(
        new InitiateAuthCommand({ ClientId: pool.webClientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username } }),
      )
    ).AvailableChallenges;

  it("registers a passkey with Cognito's options and answers, lists it, and signs in with it (WEB_AUTHN)", async () => {
    const { username, sub, accessToken } = await newUser();
    const authenticator = new SoftwareAuthenticator();
    await expect(offered(username)).resolves.toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);

    const options = await start(accessToken);
    expect(options).toEqual({
      authenticatorSelection: { requireResidentKey: true, residentKey: 'required', userVerification: 'preferred' },
      challenge: expect.stringMatching(/^[\w-]{43}$/),
      excludeCredentials: [],
      pubKeyCredParams: [
        { alg: -7, type: 'public-key' },
        { alg: -257, type: 'public-key' },
      ],
      rp: { id: 'localhost', name: 'localhost' },
      timeout: 60000,
      user: { displayName: username, id: Buffer.from(sub).toString('base64url'), name: username },
    });
    const credential = authenticator.register(options);
    await expect(complete(accessToken, credential)).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });

    const { Credentials } = await list(accessToken);
    expect(Credentials).toEqual([
      {
        CredentialId: credential.id,
        FriendlyCredentialName: 'Roaming passkey',
        RelyingPartyId: 'localhost',
        AuthenticatorAttachment: 'cross-platform',
        AuthenticatorTransports: ['usb'],
        CreatedAt: expect.any(Date),
      },
    ]);
    expect(Math.abs(Credentials![0].CreatedAt!.getTime() - Date.now())).toBeLessThan(60_000);
    // A second registration is told which passkey the user already has.
    expect((await start(accessToken)).excludeCredentials).toEqual([{ id: credential.id, type: 'public-key' }]);
    await expect(offered(username)).resolves.toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'WEB_AUTHN']);

    const { session, options: request } = await passkeyChallenge(username);
    expect(request).toEqual({
      challenge: expect.stringMatching(/^[\w-]{43}$/),
      timeout: 60000,
      rpId: 'localhost',
      allowCredentials: [{ id: credential.id, type: 'public-key', transports: ['usb'] }],
      userVerification: 'preferred',
    });
    const { AuthenticationResult } = await respond(username, session, authenticator.assert(request));
    expect(claims(AuthenticationResult!.AccessToken!)).toMatchObject({
      username,
      client_id: pool.webClientId,
      origin_jti: expect.any(String),
      scope: 'aws.cognito.signin.user.admin',
    });
    await expect(pool.sdk.send(new GetUserCommand({ AccessToken: AuthenticationResult!.AccessToken }))).resolves.toMatchObject({
      Username: username,
    });
  });

  it('signs in with a passkey chosen from SELECT_CHALLENGE', async () => {
    const { username, accessToken } = await newUser();
    const authenticator = new SoftwareAuthenticator();
    await register(accessToken, authenticator);
    const first = await pool.sdk.send(
      new InitiateAuthCommand({ ClientId: pool.webClientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username } }),
    );
    const chosen = await pool.sdk.send(
      new RespondToAuthChallengeCommand({
        ClientId: pool.webClientId,
        ChallengeName: 'SELECT_CHALLENGE',
        Session: first.Session,
        ChallengeResponses: { USERNAME: username, ANSWER: 'WEB_AUTHN' },
      }),
    );
    expect(chosen.ChallengeName).toBe('WEB_AUTHN');
    const request = JSON.parse(chosen.ChallengeParameters!.CREDENTIAL_REQUEST_OPTIONS) as { challenge: string };
    const { AuthenticationResult } = await respond(username, chosen.Session!, authenticator.assert(request));
    expect(claims(AuthenticationResult!.AccessToken!).username).toBe(username);
  });

  it("refuses registrations as Cognito does: another origin, another relying party, a spent or expired challenge, another client's token", async () => {
    const { username, accessToken } = await newUser();
    const authenticator = new SoftwareAuthenticator();
    await expect(
      complete(accessToken, authenticator.register(await start(accessToken), { origin: 'https://evil.example' })),
    ).rejects.toMatchObject({
      name: 'WebAuthnOriginNotAllowedException',
    });
    // A page on plain http is a secure context only on localhost.
    await expect(
      complete(accessToken, authenticator.register(await start(accessToken), { origin: 'http://localhost.evil.example' })),
    ).rejects.toMatchObject({
      name: 'WebAuthnOriginNotAllowedException',
    });
    await expect(complete(accessToken, authenticator.register(await start(accessToken), { rpId: 'example.com' }))).rejects.toMatchObject({
      name: 'WebAuthnRelyingPartyMismatchException',
    });

    const options = await start(accessToken);
    const credential = authenticator.register(options);
    await complete(accessToken, credential);
    await expect(complete(accessToken, authenticator.register(options))).rejects.toMatchObject({
      name: 'WebAuthnChallengeNotFoundException',
    });

    const late = authenticator.register(await start(accessToken));
    pool.advanceClock(4 * 60_000);
    await expect(complete(accessToken, late)).rejects.toMatchObject({ name: 'WebAuthnChallengeNotFoundException' });

    const other = authenticator.register(await start(accessToken));
    const rotatingToken = await passwordSignIn(username, pool.webRotatingClientId);
    await expect(complete(rotatingToken, other)).rejects.toMatchObject({ name: 'WebAuthnClientMismatchException' });

    await expect(complete(accessToken, { id: 'x', response: {} })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(pool.sdk.send(new StartWebAuthnRegistrationCommand({ AccessToken: 'not-a-token' }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Access Token',
    });
    // Only the one good registration made it.
    expect((await list(accessToken)).Credentials!.map(({ CredentialId }) => CredentialId)).toEqual([credential.id]);
  });

  it('refuses a sign-in by an unregistered passkey, from another origin, or by a cloned authenticator, with NotAuthorizedException', async () => {
    const { username, accessToken } = await newUser();
    const authenticator = new SoftwareAuthenticator();
    const registered = await register(accessToken, authenticator);
    const stranger = new SoftwareAuthenticator();
    stranger.register({ ...(await start(accessToken)) });

    let { session, options } = await passkeyChallenge(username);
    await expect(respond(username, session, stranger.assert(options))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'The passkey is not registered for this user.',
    });
    // The refused answer ended the session: the right passkey needs a new sign-in.
    await expect(respond(username, session, authenticator.assert(options))).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    ({ session, options } = await passkeyChallenge(username));
    await expect(respond(username, session, authenticator.assert(options, { origin: 'https://evil.example' }))).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Origin https://evil.example is not allowed for relying party localhost.',
    });

    // Its id and data, another key's signature.
    ({ session, options } = await passkeyChallenge(username));
    const forged = JSON.parse(authenticator.assert(options)) as { response: { signature: string } };
    forged.response.signature = (JSON.parse(stranger.assert(options)) as { response: { signature: string } }).response.signature;
    await expect(respond(username, session, JSON.stringify(forged))).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    ({ session, options } = await passkeyChallenge(username));
    await respond(username, session, authenticator.assert(options));
    authenticator.setCounter(registered, 0);
    ({ session, options } = await passkeyChallenge(username));
    await expect(respond(username, session, authenticator.assert(options))).rejects.toMatchObject({ name: 'NotAuthorizedException' });

    ({ session, options } = await passkeyChallenge(username));
    authenticator.setCounter(registered, 100);
    await expect(respond(username, session, authenticator.assert(options))).resolves.toMatchObject({
      AuthenticationResult: { AccessToken: expect.any(String) },
    });
  });

  it('pages the list, deletes a passkey (then no longer offered), and refuses an unknown one', async () => {
    const { username, accessToken } = await newUser();
    const authenticator = new SoftwareAuthenticator();
    const ids = [
      await register(accessToken, authenticator),
      await register(accessToken, authenticator),
      await register(accessToken, authenticator),
    ];

    const first = await list(accessToken, { MaxResults: 2 });
    expect(first.Credentials!.map(({ CredentialId }) => CredentialId)).toEqual(ids.slice(0, 2));
    const second = await list(accessToken, { MaxResults: 2, NextToken: first.NextToken });
    expect(second.Credentials!.map(({ CredentialId }) => CredentialId)).toEqual(ids.slice(2));
    expect(second.NextToken).toBeUndefined();
    await expect(list(accessToken, { MaxResults: 21 })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    const someoneElse = await newUser();
    await expect(list(someoneElse.accessToken, { NextToken: first.NextToken })).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });

    for (const id of ids) await pool.sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: id }));
    await expect(list(accessToken)).resolves.toMatchObject({ Credentials: [] });
    await expect(offered(username)).resolves.toEqual(['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    await expect(
      pool.sdk.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: ids[0] })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it(
    'keeps passkeys across a restart of the pool',
    async () => {
      const { username, accessToken } = await newUser();
      const authenticator = new SoftwareAuthenticator();
      const id = await register(accessToken, authenticator);
      await pool.restart();
      const { session, options } = await passkeyChallenge(username);
      expect(options.allowCredentials).toEqual([{ id, type: 'public-key', transports: ['usb'] }]);
      await expect(respond(username, session, authenticator.assert(options))).resolves.toMatchObject({
        AuthenticationResult: { AccessToken: expect.any(String) },
      });
    },
    POOL_START_TIMEOUT_MS,
  );

  it('answers WebAuthnNotEnabledException when the pool leaves passkeys out of its sign-in policy', async () => {
    const { accessToken } = await newUser();
    const policy = (factors: string[]) =>
      pool.sdk.send(
        new UpdateUserPoolCommand({
          UserPoolId: pool.userPoolId,
          Policies: { SignInPolicy: { AllowedFirstAuthFactors: factors as never } },
        }),
      );
    await policy(['PASSWORD', 'EMAIL_OTP']);
    try {
      await expect(start(accessToken)).rejects.toMatchObject({ name: 'WebAuthnNotEnabledException' });
    } finally {
      await policy(['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN']);
    }
    await expect(start(accessToken)).resolves.toMatchObject({ rp: { id: 'localhost' } });
  });
});
