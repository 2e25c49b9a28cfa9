import { createRequire } from 'node:module';
import { createHmac } from 'node:crypto';
import { parseSrpA, parseSrpTimestamp, srpPoolName, startSrp, verifySrpClaim } from './srp-verifier.js';

interface BigIntegerLike {
  toString(radix: number): string;
}
interface ClientHelper {
  getLargeAValue(callback: (error: unknown, A: BigIntegerLike) => void): void;
  getPasswordAuthenticationKey(
    username: string,
    password: string,
    B: BigIntegerLike,
    salt: BigIntegerLike,
    callback: (error: unknown, key: Buffer) => void,
  ): void;
}

// The client side exactly as amazon-cognito-identity-js computes it (its own BigInteger and helper).
const require = createRequire(import.meta.url);
const { default: AuthenticationHelper } = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js') as {
  default: new (pool: string) => ClientHelper;
};
const { default: BigInteger } = require('amazon-cognito-identity-js/lib/BigInteger.js') as {
  default: new (hex: string, radix: number) => BigIntegerLike;
};
const { default: DateHelper } = require('amazon-cognito-identity-js/lib/DateHelper.js') as {
  default: new () => { getNowString(): string };
};

const POOL = srpPoolName('us-east-1_Ab12Cd34');

/** One client sign-in against startSrp/verifySrpClaim, with the password the client types. */
async function clientClaim(typedPassword: string, storedPassword = 'Alice-pass-1') {
  const helper = new AuthenticationHelper(POOL);
  const A = await new Promise<BigIntegerLike>((done, fail) => helper.getLargeAValue((error, value) => (error ? fail(error) : done(value))));
  const challenge = startSrp(POOL, 'alice', storedPassword, parseSrpA(A.toString(16))!);
  const key = await new Promise<Buffer>((done, fail) =>
    helper.getPasswordAuthenticationKey(
      'alice',
      typedPassword,
      new BigInteger(challenge.srpB, 16),
      new BigInteger(challenge.salt, 16),
      (error, value) => (error ? fail(error) : done(value)),
    ),
  );
  const timestamp = new DateHelper().getNowString();
  const signature = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(POOL),
        Buffer.from('alice'),
        Buffer.from(challenge.session.secretBlock, 'base64'),
        Buffer.from(timestamp),
      ]),
    )
    .digest('base64');
  return { session: challenge.session, claim: { poolName: POOL, userIdForSrp: 'alice', timestamp, signature } };
}

describe('SRP verifier', () => {
  it('accepts the password claim amazon-cognito-identity-js computes for the right password', async () => {
    const { session, claim } = await clientClaim('Alice-pass-1');
    expect(verifySrpClaim(session, claim)).toBe(true);
  });

  it('refuses the claim for a wrong password, and a claim signed for another timestamp', async () => {
    const wrong = await clientClaim('Alice-pass-2');
    expect(verifySrpClaim(wrong.session, wrong.claim)).toBe(false);
    const right = await clientClaim('Alice-pass-1');
    expect(verifySrpClaim(right.session, { ...right.claim, timestamp: 'Mon Jan 5 00:00:00 UTC 2026' })).toBe(false);
  });

  it('refuses an A that is zero modulo N, and one that is not hex', () => {
    expect(parseSrpA('0')).toBeUndefined();
    expect(parseSrpA('xyz')).toBeUndefined();
    expect(parseSrpA('1f')).toBe(31n);
  });

  it("reads Cognito's timestamp form, with an unpadded day", () => {
    expect(parseSrpTimestamp('Wed Nov 5 09:08:07 UTC 2026')).toBe(Date.UTC(2026, 10, 5, 9, 8, 7));
    expect(parseSrpTimestamp('2026-11-05T09:08:07Z')).toBeUndefined();
  });
});
