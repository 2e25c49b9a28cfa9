import { secretHash } from './secret-hash.js';

describe(secretHash.name, () => {
  it('matches an HMAC computed independently (openssl dgst -sha256 -hmac <secret> of username + client id)', () => {
    expect(secretHash('alice', '1example23456789', 'client-secret-value')).toBe('YGV4LScBHOE7EriNBfBClKTkBwrHqlC/cCidJHFgWIM=');
  });

  it('depends on the username, so it is computed per user', () => {
    expect(secretHash('bob', '1example23456789', 'client-secret-value')).not.toBe(
      secretHash('alice', '1example23456789', 'client-secret-value'),
    );
  });
});
