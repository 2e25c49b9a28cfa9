import type { AppConfig, CognitoSettings } from '../config/app-config.js';
import type { Principal } from '../identity/principal.js';
import { PeoplePoolsPipe } from './people-pools.decorator.js';

const pool = (name: string) => ({ name }) as CognitoSettings;
const pools = [pool('default'), pool('staff'), pool('partners')];
const person = (name: string) => ({ kind: 'person', pool: pool(name) }) as Principal;
const machine = (name: string) => ({ kind: 'machine', pool: pool(name) }) as Principal;

describe(PeoplePoolsPipe.name, () => {
  const open = new PeoplePoolsPipe({ pools, adminOwnPoolOnly: false } as unknown as AppConfig);
  const ownOnly = new PeoplePoolsPipe({ pools, adminOwnPoolOnly: true } as unknown as AppConfig);

  it('gives the people of every configured pool on a route without @Pools, of its pools on one with', () => {
    expect(open.transform({ route: undefined, principal: person('staff') })).toEqual(['default', 'staff', 'partners']);
    expect(open.transform({ route: ['partners', 'staff', 'gone'], principal: person('staff') })).toEqual(['staff', 'partners']);
  });

  it("keeps a person to their own pool's people with ADMIN_OWN_POOL_ONLY, within the route's pools", () => {
    expect(ownOnly.transform({ route: undefined, principal: person('staff') })).toEqual(['staff']);
    expect(ownOnly.transform({ route: ['default'], principal: person('staff') })).toEqual([]);
    // Other apps of a pool (client credentials) are not admins: the route's pools apply to them.
    expect(ownOnly.transform({ route: undefined, principal: machine('staff') })).toEqual(['default', 'staff', 'partners']);
  });
});
