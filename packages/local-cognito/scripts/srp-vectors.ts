// Writes src/srp-verifier.vectors.json: SRP sign-ins computed by amazon-cognito-identity-js itself
// (its BigInteger and AuthenticationHelper) against startSrp, so that the verifier's unit spec checks
// the client library's maths without running it (seconds of pure-JS big-number work per sign-in).
//   npx tsx packages/local-cognito/scripts/srp-vectors.ts
import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseSrpA, srpPoolName, startSrp } from '../src/srp-verifier.js';

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

const require = createRequire(import.meta.url);
const { default: AuthenticationHelper } = require('amazon-cognito-identity-js/lib/AuthenticationHelper.js') as {
  default: new (pool: string) => ClientHelper;
};
const { default: BigInteger } = require('amazon-cognito-identity-js/lib/BigInteger.js') as {
  default: new (hex: string, radix: number) => BigIntegerLike;
};

/** The library fails with its own objects. */
const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

const POOL = srpPoolName('us-east-1_Ab12Cd34');
const TIMESTAMP = 'Mon Jan 5 09:08:07 UTC 2026';

async function vector(typedPassword: string, storedPassword = 'Alice-pass-1') {
  const helper = new AuthenticationHelper(POOL);
  const A = await new Promise<BigIntegerLike>((done, fail) =>
    helper.getLargeAValue((error, value) => (error ? fail(asError(error)) : done(value))),
  );
  const challenge = startSrp(POOL, 'alice', storedPassword, parseSrpA(A.toString(16))!);
  const key = await new Promise<Buffer>((done, fail) =>
    helper.getPasswordAuthenticationKey(
      'alice',
      typedPassword,
      new BigInteger(challenge.srpB, 16),
      new BigInteger(challenge.salt, 16),
      (error, value) => (error ? fail(asError(error)) : done(value)),
    ),
  );
  const { session } = challenge;
  const signature = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(POOL), Buffer.from('alice'), Buffer.from(session.secretBlock, 'base64'), Buffer.from(TIMESTAMP)]))
    .digest('base64');
  return {
    typedPassword,
    storedPassword,
    salt: challenge.salt,
    srpB: challenge.srpB,
    session: {
      A: session.A.toString(16),
      B: session.B.toString(16),
      b: session.b.toString(16),
      v: session.v.toString(16),
      secretBlock: session.secretBlock,
    },
    claim: { poolName: POOL, userIdForSrp: 'alice', timestamp: TIMESTAMP, signature },
  };
}

const vectors = { right: await vector('Alice-pass-1'), wrong: await vector('Alice-pass-2') };
writeFileSync(new URL('../src/srp-verifier.vectors.json', import.meta.url), `${JSON.stringify(vectors, null, 2)}\n`);
