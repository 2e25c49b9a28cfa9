import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { createHmac, sign } from 'node:crypto';
import jwt from 'jsonwebtoken';
import {
  claimsOf,
  handMade,
  mint,
  now,
  ORIGINAL,
  POOL_ID,
  published,
  REGION,
  REPLICA,
  SKEW_SECONDS,
  STAFF_ENV,
  STAFF_ISSUER,
  staffKey,
  strategyFor,
  stranger,
  UPDATED,
} from '../../test/support/signed-tokens.js';
import { EMULATOR_KEY_ID } from '../config/app-config.js';
import { CognitoJwtStrategy } from './cognito-jwt.strategy.js';
import { TokenError } from './token-errors.js';

describe(CognitoJwtStrategy.name, () => {
  let sut: CognitoJwtStrategy;

  /** The claims the strategy resolves with for `Authorization: <authorization>`, or the code it refuses with. */
  async function verdict(authorization: string | undefined): Promise<Record<string, unknown> | string> {
    try {
      return (await sut.verifyRequest({ headers: { authorization } })).claims as unknown as Record<string, unknown>;
    } catch (error) {
      if (error instanceof TokenError && error.getStatus() === 401) return error.code;
      throw error;
    }
  }
  const bearer = (token: string) => verdict(`Bearer ${token}`);

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    ({ sut } = await strategyFor());
  });
  afterAll(() => {
    jest.restoreAllMocks();
  });

  it('accepts an access token of the pool and resolves with its claims', async () => {
    const token = mint();
    await expect(bearer(token)).resolves.toEqual(claimsOf(token));
  });

  describe('issuer', () => {
    it.each([
      ['ORIGINAL', ORIGINAL],
      ['UPDATED', UPDATED],
      ['a replica region', REPLICA],
    ])('accepts the %s issuer', async (_form, iss) => {
      await expect(bearer(mint({ iss }))).resolves.toMatchObject({ iss });
    });

    it.each([
      `${ORIGINAL}/`,
      ORIGINAL.toUpperCase(),
      ORIGINAL.replace('https:', 'http:'),
      `https://cognito-idp.${REGION}.amazonaws.com/us-west-2_Other123`,
      `https://issuer-cognito-idp.eu-west-1.amazonaws.com/${POOL_ID}`, // replicas have no UPDATED form
      'https://evil.example.com',
    ])('refuses %s (token_wrong_issuer)', async (iss) => {
      await expect(bearer(mint({ iss }))).resolves.toBe('token_wrong_issuer');
    });

    it('refuses a token without iss', async () => {
      await expect(bearer(mint({ iss: undefined }))).resolves.toBe('token_wrong_issuer');
    });
  });

  describe('times', () => {
    it(`refuses an expired token, and tolerates ${SKEW_SECONDS} s of clock skew`, async () => {
      await expect(bearer(mint({ exp: now() - SKEW_SECONDS - 5 }))).resolves.toBe('token_expired');
      await expect(bearer(mint({ iat: now() - 600, exp: now() - SKEW_SECONDS + 5 }))).resolves.toMatchObject({ client_id: 'client-a' });
    });

    it('refuses a token whose nbf or iat is in the future beyond the skew, not within it', async () => {
      await expect(bearer(mint({ nbf: now() + SKEW_SECONDS + 10 }))).resolves.toBe('token_not_yet_valid');
      await expect(bearer(mint({ iat: now() + SKEW_SECONDS + 10 }))).resolves.toBe('token_not_yet_valid');
      await expect(bearer(mint({ iat: now() + SKEW_SECONDS - 5 }))).resolves.toMatchObject({ sub: expect.any(String) });
    });

    it('refuses a token without exp, or with a non-numeric one', async () => {
      await expect(bearer(mint({ exp: undefined }))).resolves.toBe('token_invalid');
      const stringExp = handMade({ alg: 'RS256', kid: published.kid }, { ...claimsOf(mint()), exp: String(now() + 3600) }, (input) =>
        sign('sha256', Buffer.from(input), published.privateKey).toString('base64url'),
      );
      await expect(bearer(stringExp)).resolves.toBe('token_invalid');
    });
  });

  describe('times that are not numbers', () => {
    const signed = (claims: Record<string, unknown>) =>
      handMade({ alg: 'RS256', kid: published.kid }, { ...claimsOf(mint()), ...claims }, (input) =>
        sign('sha256', Buffer.from(input), published.privateKey).toString('base64url'),
      );

    it.each(['iat', 'nbf', 'auth_time'])('refuses a %s of text, null or a list (token_invalid)', async (claim) => {
      for (const value of ['abc', '9999999999', null, [now()]])
        await expect(bearer(signed({ [claim]: value }))).resolves.toBe('token_invalid');
    });
  });

  describe('audience (COGNITO_AUDIENCE)', () => {
    const audience = 'https://api.example.com';
    let bound: CognitoJwtStrategy;
    const verdictOf = async (aud: unknown) =>
      bound.verifyRequest({ headers: { authorization: `Bearer ${mint({ aud })}` } }).then(
        () => 'accepted',
        (error: TokenError) => error.code,
      );

    beforeAll(async () => {
      ({ sut: bound } = await strategyFor({ COGNITO_AUDIENCE: audience }));
    });
    // Passport keeps one strategy by name: the last one made. The other cases need theirs back.
    afterAll(async () => {
      ({ sut } = await strategyFor());
    });

    it('accepts aud naming it, as a string or in a list', async () => {
      await expect(verdictOf(audience)).resolves.toBe('accepted');
      await expect(verdictOf(['urn:other', audience])).resolves.toBe('accepted');
    });

    it.each([[undefined], ['https://other.example.com'], [`${audience}/`], [[]], [['urn:other']], [7]])(
      'refuses aud %j (token_wrong_audience)',
      async (aud) => {
        await expect(verdictOf(aud)).resolves.toBe('token_wrong_audience');
      },
    );
  });

  it('leaves aud unchecked while COGNITO_AUDIENCE is unset', async () => {
    await expect(bearer(mint({ aud: 'https://other.example.com' }))).resolves.toMatchObject({ aud: 'https://other.example.com' });
  });

  describe("Cognito's claims", () => {
    it('refuses an ID token (token_wrong_use), saying to send the access token', async () => {
      await expect(sut.verifyRequest({ headers: { authorization: `Bearer ${mint({ token_use: 'id' })}` } })).rejects.toMatchObject({
        code: 'token_wrong_use',
        message: 'This is an ID token; send the access token instead.',
      });
      await expect(bearer(mint({ token_use: undefined }))).resolves.toBe('token_wrong_use');
      await expect(bearer(mint({ token_use: 'refresh' }))).resolves.toBe('token_wrong_use');
    });

    it('accepts the configured app clients only (token_wrong_client)', async () => {
      await expect(bearer(mint({ client_id: 'client-b' }))).resolves.toMatchObject({ client_id: 'client-b' });
      await expect(bearer(mint({ client_id: 'client-c' }))).resolves.toBe('token_wrong_client');
      await expect(bearer(mint({ client_id: 'CLIENT-A' }))).resolves.toBe('token_wrong_client');
      await expect(bearer(mint({ client_id: undefined }))).resolves.toBe('token_wrong_client');
    });

    it('refuses a token without a subject', async () => {
      await expect(bearer(mint({ sub: undefined }))).resolves.toBe('token_invalid');
      await expect(bearer(mint({ sub: '' }))).resolves.toBe('token_invalid');
    });

    it('refuses claims of the wrong shape (claim-shapes.spec.ts has every rule)', async () => {
      await expect(bearer(mint({ username: 42 }))).resolves.toBe('token_invalid');
      await expect(bearer(mint({ 'cognito:groups': 'admin' }))).resolves.toBe('token_invalid');
      await expect(bearer(mint({ sub: 'a\u0000b' }))).resolves.toBe('token_invalid');
    });

    it("accepts a machine client's token (no username, sub = client_id)", async () => {
      const token = mint({
        sub: 'client-b',
        client_id: 'client-b',
        username: undefined,
        'cognito:groups': undefined,
        scope: 'backend/users.read',
      });
      await expect(bearer(token)).resolves.toEqual(claimsOf(token));
    });
  });

  describe('signature and header', () => {
    it('refuses a token signed by another key under the published kid', async () => {
      await expect(bearer(mint({}, { key: stranger, kid: published.kid }))).resolves.toBe('token_invalid');
    });

    it('refuses a token whose payload was changed after signing', async () => {
      const [header, , signature] = mint().split('.');
      const payload = Buffer.from(JSON.stringify({ ...claimsOf(mint()), 'cognito:groups': ['admin', 'ops'] })).toString('base64url');
      await expect(bearer(`${header}.${payload}.${signature}`)).resolves.toBe('token_invalid');
    });

    it('refuses a kid the pool does not publish, and a token without kid', async () => {
      await expect(bearer(mint({}, { key: stranger }))).resolves.toBe('token_invalid');
      await expect(bearer(mint({}, { kid: null }))).resolves.toBe('token_invalid');
    });

    it('refuses HS256 signed with the public key as the secret, alg "none" and other algorithms', async () => {
      const secret = published.publicKey.export({ format: 'pem', type: 'spki' });
      const hs256 = handMade({ alg: 'HS256', kid: published.kid }, claimsOf(mint()), (input) =>
        createHmac('sha256', secret).update(input).digest('base64url'),
      );
      await expect(bearer(hs256)).resolves.toBe('token_invalid');
      await expect(bearer(handMade({ alg: 'none', kid: published.kid }, claimsOf(mint()), () => 'sig'))).resolves.toBe('token_invalid');
      await expect(bearer(handMade({ alg: 'RS512', kid: published.kid }, claimsOf(mint()), () => 'sig'))).resolves.toBe('token_invalid');
    });

    it('refuses a critical header extension', async () => {
      const token = jwt.sign(claimsOf(mint()), published.privateKey, {
        algorithm: 'RS256',
        keyid: published.kid,
        header: { alg: 'RS256', crit: ['b64'], b64: false } as jwt.JwtHeader,
      });
      await expect(bearer(token)).resolves.toBe('token_invalid');
    });

    it('refuses what is not a token', async () => {
      await expect(bearer('abc.def')).resolves.toBe('token_malformed');
      await expect(bearer('not-a-token')).resolves.toBe('token_malformed');
      await expect(bearer(`${mint()}.extra`)).resolves.toBe('token_malformed');
    });

    it('reads the Bearer scheme only (bearer-token.spec.ts has every rule)', async () => {
      await expect(verdict(undefined)).resolves.toBe('token_missing');
      await expect(verdict(`Basic ${mint()}`)).resolves.toBe('token_malformed');
      await expect(verdict(`bearer ${mint()}`)).resolves.toMatchObject({ client_id: 'client-a' });
    });
  });

  describe('several pools (COGNITO_POOLS)', () => {
    let fetchedUris: () => string[];
    const staffToken = (claims: Record<string, unknown> = {}) =>
      mint({ iss: STAFF_ISSUER, client_id: 'staff-client', ...claims }, { key: staffKey });

    beforeAll(async () => {
      ({ sut, fetchedUris } = await strategyFor(
        { ...STAFF_ENV, COGNITO_STAFF_AUDIENCE: 'https://staff-api.example.com' },
        { staff: [staffKey] },
      ));
    });
    afterAll(async () => {
      ({ sut } = await strategyFor());
    });

    it("verifies each pool's tokens with that pool's keys, and says which pool issued them", async () => {
      const verified = await sut.verifyRequest({ headers: { authorization: `Bearer ${mint()}` } });
      expect(verified.pool.name).toBe('default');
      const staff = await sut.verifyRequest({
        headers: { authorization: `Bearer ${staffToken({ aud: 'https://staff-api.example.com' })}` },
      });
      expect(staff.pool.name).toBe('staff');
      expect(staff.claims.iss).toBe(STAFF_ISSUER);
    });

    it("refuses a token naming one pool's issuer but signed with the other pool's key", async () => {
      await expect(bearer(mint({ iss: STAFF_ISSUER, client_id: 'staff-client', aud: 'https://staff-api.example.com' }))).resolves.toBe(
        'token_invalid',
      );
      await expect(bearer(mint({}, { key: staffKey }))).resolves.toBe('token_invalid');
    });

    it("applies each pool's own app clients and audience", async () => {
      await expect(bearer(staffToken({ client_id: 'client-a', aud: 'https://staff-api.example.com' }))).resolves.toBe('token_wrong_client');
      await expect(bearer(mint({ client_id: 'staff-client' }))).resolves.toBe('token_wrong_client');
      await expect(bearer(staffToken())).resolves.toBe('token_wrong_audience');
      await expect(bearer(mint())).resolves.toMatchObject({ iss: ORIGINAL });
    });

    it("refuses an issuer no pool has (token_wrong_issuer) before any key lookup, even signed with a configured pool's key", async () => {
      const before = fetchedUris().length;
      const unknownIssuer = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other99';
      await expect(bearer(mint({ iss: unknownIssuer }, { key: staffKey }))).resolves.toBe('token_wrong_issuer');
      await expect(bearer(mint({ iss: unknownIssuer }, { key: published, kid: 'never-seen' }))).resolves.toBe('token_wrong_issuer');
      expect(fetchedUris().slice(before)).toEqual([]);
    });
  });

  describe('in production', () => {
    it("refuses the emulator's well-known kid before any key lookup", async () => {
      const production = await strategyFor({ NODE_ENV: 'production' });
      sut = production.sut;
      const fetched = production.fetches();
      await expect(bearer(mint({}, { kid: EMULATOR_KEY_ID }))).resolves.toBe('token_invalid');
      expect(production.fetches()).toBe(fetched);
      await expect(bearer(mint())).resolves.toMatchObject({ client_id: 'client-a' });
    });
  });
});
