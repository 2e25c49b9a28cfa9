import { parseSrpA, parseSrpTimestamp, srpPoolName, startSrp, verifySrpClaim, type SrpSession } from './srp-verifier.js';
import vectors from './srp-verifier.vectors.json' with { type: 'json' };

// Sign-ins computed by amazon-cognito-identity-js's own maths (scripts/srp-vectors.ts): the spec
// checks the verifier against the client library without seconds of pure-JS big numbers per case.
type Vector = (typeof vectors)['right'];

function sessionOf(vector: Vector): SrpSession {
  const { A, B, b, v, secretBlock } = vector.session;
  return { A: BigInt(`0x${A}`), B: BigInt(`0x${B}`), b: BigInt(`0x${b}`), v: BigInt(`0x${v}`), secretBlock };
}

describe('SRP verifier', () => {
  it('accepts the password claim amazon-cognito-identity-js computed for the right password', () => {
    expect(verifySrpClaim(sessionOf(vectors.right), vectors.right.claim)).toBe(true);
  });

  it('refuses the claim for a wrong password, for another timestamp, and for another secret block', () => {
    expect(verifySrpClaim(sessionOf(vectors.wrong), vectors.wrong.claim)).toBe(false);
    const session = sessionOf(vectors.right);
    expect(verifySrpClaim(session, { ...vectors.right.claim, timestamp: 'Tue Jan 6 09:08:07 UTC 2026' })).toBe(false);
    expect(verifySrpClaim({ ...session, secretBlock: Buffer.alloc(64).toString('base64') }, vectors.right.claim)).toBe(false);
    expect(verifySrpClaim(session, { ...vectors.right.claim, signature: vectors.wrong.claim.signature })).toBe(false);
  });

  it('starts each sign-in with a fresh salt, secret block and B', () => {
    const A = BigInt(`0x${vectors.right.session.A}`);
    const first = startSrp(srpPoolName('us-east-1_Ab12Cd34'), 'alice', 'Alice-pass-1', A);
    const second = startSrp(srpPoolName('us-east-1_Ab12Cd34'), 'alice', 'Alice-pass-1', A);
    expect(first.salt).not.toBe(second.salt);
    expect(first.srpB).not.toBe(second.srpB);
    expect(first.session.secretBlock).not.toBe(second.session.secretBlock);
    expect(first.session.A).toBe(A);
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
