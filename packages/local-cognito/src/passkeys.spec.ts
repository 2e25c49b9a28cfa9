import { originAllowed, relyingPartyIdProblem } from './passkeys.js';

describe(originAllowed.name, () => {
  it.each([
    ['http://localhost:5173', 'localhost'],
    ['http://localhost', 'localhost'],
    ['http://app.localhost:3000', 'localhost'],
    ['https://app.test:5173', 'app.test'],
    ['https://eu.app.test', 'app.test'],
  ])('lets %s use passkeys of %s', (origin, relyingPartyId) => {
    expect(originAllowed(origin, relyingPartyId)).toBe(true);
  });

  it.each([
    ['http://127.0.0.1:5173', 'localhost', 'an IP address'],
    ['http://app.test:5173', 'app.test', 'plain http beyond localhost'],
    ['https://notapp.test', 'app.test', 'a name that only ends the same'],
    ['https://app.test.evil.example', 'app.test', 'a name under another'],
    ['https://app.test/path', 'app.test', 'more than an origin'],
    ['null', 'localhost', 'an opaque origin'],
  ])('refuses %s for %s (%s)', (origin, relyingPartyId) => {
    expect(originAllowed(origin, relyingPartyId)).toBe(false);
  });
});

describe(relyingPartyIdProblem.name, () => {
  it('takes host names', () => {
    for (const id of ['localhost', 'app.test', 'auth.example.com']) expect(relyingPartyIdProblem(id)).toBeUndefined();
  });

  it('says what is wrong with a URL, a port or an IP address', () => {
    for (const id of ['http://localhost:5173', 'localhost:5173', '127.0.0.1', 'app test']) {
      expect(relyingPartyIdProblem(id)).toMatch(/^must be the host name of the pages that use passkeys/);
    }
  });
});
