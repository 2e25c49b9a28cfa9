import { PerPool, splitPoolKey } from './per-pool.js';

describe(PerPool.name, () => {
  it('makes one store per pool, on first use only', () => {
    const sut = new PerPool(() => new Map<string, number>());
    expect(sut.of('default')).toBeUndefined();
    sut.for('default').set('a', 1);
    sut.for('staff').set('a', 2);
    expect([sut.of('default')?.get('a'), sut.of('staff')?.get('a'), [...sut.values()].length]).toEqual([1, 2, 2]);
  });
});

describe(splitPoolKey.name, () => {
  it('splits at the first space: an id may hold spaces, a pool name never does', () => {
    expect(splitPoolKey('staff a b')).toEqual({ pool: 'staff', id: 'a b' });
  });

  it.each(['', 'default', ' a', 'default '])('finds no pool and id in %j', (payload) => {
    expect(splitPoolKey(payload)).toBeUndefined();
  });
});
