import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The server side of Cognito's SRP-6a variant (USER_SRP_AUTH + PASSWORD_VERIFIER), as the client
 * side in amazon-cognito-identity-js's AuthenticationHelper and Amplify v6 computes it: the RFC 5054
 * 3072-bit group, SHA-256 over "padded" hex (even length, 00 before a set high bit), x = H(salt |
 * H(poolName | username ":" password)), an HKDF ("Caldera Derived Key", 16 bytes) of S salted with u,
 * and a claim signed over poolName | userIdForSrp | secret block | timestamp.
 */
const N = BigInt(
  '0x' +
    'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
    'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
    'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
const g = 2n;
const INFO = Buffer.from('Caldera Derived Key', 'utf8');

export function padHex(value: bigint): string {
  let hex = value.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/i.test(hex) ? `00${hex}` : hex;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function hexHash(hex: string): string {
  return sha256Hex(Buffer.from(hex, 'hex'));
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

const k = BigInt(`0x${hexHash(padHex(N) + padHex(g))}`);

/** The part of a pool id after the region: what Cognito's SRP calls the pool name. */
export function srpPoolName(userPoolId: string): string {
  return userPoolId.split('_')[1] ?? userPoolId;
}

/** What the server keeps between InitiateAuth and RespondToAuthChallenge. */
export interface SrpSession {
  A: bigint;
  B: bigint;
  b: bigint;
  v: bigint;
  /** The challenge's SECRET_BLOCK, base64: opaque to the client, it must come back unchanged. */
  secretBlock: string;
}

export interface SrpChallenge {
  /** ChallengeParameters.SALT and SRP_B, hex, as Cognito sends them. */
  salt: string;
  srpB: string;
  session: SrpSession;
}

/** Refuses an A that is 0 mod N (RFC 5054), which would make the shared secret guessable. */
export function parseSrpA(hex: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,2048}$/.test(hex)) return undefined;
  const A = BigInt(`0x${hex}`);
  return A % N === 0n ? undefined : A;
}

/**
 * The PASSWORD_VERIFIER challenge for a user whose password the server knows: a fresh salt and
 * verifier each time (nothing is stored), and B = k·v + g^b.
 */
export function startSrp(poolName: string, userIdForSrp: string, password: string, A: bigint): SrpChallenge {
  const salt = BigInt(`0x${randomBytes(16).toString('hex')}`);
  const x = BigInt(`0x${hexHash(padHex(salt) + sha256Hex(`${poolName}${userIdForSrp}:${password}`))}`);
  const v = modPow(g, x, N);
  let b = 0n;
  let B = 0n;
  while (B % N === 0n) {
    b = BigInt(`0x${randomBytes(32).toString('hex')}`);
    B = (k * v + modPow(g, b, N)) % N;
  }
  const secretBlock = randomBytes(64).toString('base64');
  return { salt: padHex(salt), srpB: B.toString(16), session: { A, B, b, v, secretBlock } };
}

/** Whether PASSWORD_CLAIM_SIGNATURE proves knowledge of the password for this session. */
export function verifySrpClaim(
  session: SrpSession,
  claim: { poolName: string; userIdForSrp: string; timestamp: string; signature: string },
): boolean {
  const u = BigInt(`0x${hexHash(padHex(session.A) + padHex(session.B))}`);
  if (u === 0n) return false;
  const S = modPow((session.A * modPow(session.v, u, N)) % N, session.b, N);
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), INFO, 16));
  const expected = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(claim.poolName, 'utf8'),
        Buffer.from(claim.userIdForSrp, 'utf8'),
        Buffer.from(session.secretBlock, 'base64'),
        Buffer.from(claim.timestamp, 'utf8'),
      ]),
    )
    .digest();
  const given = Buffer.from(claim.signature, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Cognito's TIMESTAMP, "ddd MMM D HH:mm:ss UTC YYYY" (day not padded), as milliseconds; undefined
 * when it is not in that form.
 */
export function parseSrpTimestamp(timestamp: string): number | undefined {
  const match = /^(Sun|Mon|Tue|Wed|Thu|Fri|Sat) ([A-Z][a-z]{2}) (\d{1,2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/.exec(timestamp);
  if (!match) return undefined;
  const month = MONTHS.indexOf(match[2]);
  if (month < 0) return undefined;
  return Date.UTC(Number(match[7]), month, Number(match[3]), Number(match[4]), Number(match[5]), Number(match[6]));
}
