import { loadConfig } from '../config/load-config.js';
import { UserCache } from './user.cache.js';
import type { User } from './user.entity.js';

function config(env: Record<string, string> = {}) {
  return loadConfig({
    DATABASE_URL: 'postgres://app:secret@db.internal:5432/app',
    COGNITO_REGION: 'us-west-2',
    COGNITO_USER_POOL_ID: 'us-west-2_AbCdEf123',
    COGNITO_CLIENT_IDS: 'client-a',
    ...env,
  });
}

const row = (sub: string, isActive = true) => ({ sub, isActive }) as User;

describe(UserCache.name, () => {
  let sut: UserCache;

  beforeEach(() => {
    sut = new UserCache(config());
    sut.setListening(true);
  });

  it('keeps a copy whose read began after the last change of its row', () => {
    sut.invalidate('default', 'a');
    sut.put(sut.ticket('default', 'a'), row('a'));
    expect(sut.get('default', 'a')).toEqual(row('a'));
  });

  it('refuses a copy whose read began before a change of its row (a slow load or background fill)', () => {
    const ticket = sut.ticket('default', 'a');
    sut.invalidate('default', 'a'); // e.g. the deactivation's notification arrives while the read is in flight
    sut.put(ticket, row('a'));
    expect(sut.get('default', 'a')).toBeUndefined();
    expect(sut.isStale(ticket)).toBe(true);
  });

  it('is not disturbed by changes of other rows', () => {
    const ticket = sut.ticket('default', 'a');
    sut.invalidate('default', 'b');
    sut.put(ticket, row('a'));
    expect(sut.get('default', 'a')).toBeDefined();
  });

  it('keeps the people of two pools apart when their subs are equal', () => {
    sut.put(sut.ticket('default', 'a'), row('a'));
    expect(sut.get('staff', 'a')).toBeUndefined();
    const staffLoad = sut.ticket('staff', 'a');
    sut.invalidate('staff', 'a');
    sut.put(staffLoad, row('a'));
    expect([sut.get('default', 'a'), sut.get('staff', 'a')]).toEqual([row('a'), undefined]);
  });

  it('drops everything, and refuses reads in flight, when the notification connection comes back', () => {
    sut.put(sut.ticket('default', 'a'), row('a'));
    const inFlight = sut.ticket('default', 'b');
    sut.setListening(false);
    sut.setListening(true);
    sut.put(inFlight, row('b'));
    expect(sut.get('default', 'a')).toBeUndefined();
    expect(sut.get('default', 'b')).toBeUndefined();
  });

  it('serves copies only for the fallback lifetime while the notification connection is down', () => {
    sut = new UserCache(config({ USER_CACHE_FALLBACK_SECONDS: '0' }));
    sut.put(sut.ticket('default', 'a'), row('a'));
    expect(sut.get('default', 'a')).toBeUndefined();

    const listening = new UserCache(config({ USER_CACHE_FALLBACK_SECONDS: '0' }));
    listening.setListening(true);
    listening.put(listening.ticket('default', 'a'), row('a'));
    expect(listening.get('default', 'a')).toBeDefined();
  });

  it('keeps nothing when USER_CACHE_SECONDS is 0', () => {
    sut = new UserCache(config({ USER_CACHE_SECONDS: '0' }));
    sut.setListening(true);
    sut.put(sut.ticket('default', 'a'), row('a'));
    expect(sut.get('default', 'a')).toBeUndefined();
  });
});
