/**
 * One store per user pool, made on first use, for what is keyed by a pool and an id of that pool (a
 * `sub`, a session). A lookup is two map lookups by strings that already exist (the pool's name and the
 * token's claim), where a "<pool> <id>" key would be a new string to build and hash on every request.
 * Pools are configured, so there are few stores; a bound set on each store holds per pool.
 */
export class PerPool<Store> {
  private readonly stores = new Map<string, Store>();

  constructor(private readonly create: () => Store) {}

  /** The pool's store if it has one; undefined while nothing was kept for the pool. */
  of(pool: string): Store | undefined {
    return this.stores.get(pool);
  }

  /** The pool's store, made if it has none yet. */
  for(pool: string): Store {
    let store = this.stores.get(pool);
    if (store === undefined) {
      store = this.create();
      this.stores.set(pool, store);
    }
    return store;
  }

  values(): IterableIterator<Store> {
    return this.stores.values();
  }
}

/** A notification's "<pool> <id>" split at its first space (a pool's name holds none); undefined without one. */
export function splitPoolKey(payload: string): { pool: string; id: string } | undefined {
  const space = payload.indexOf(' ');
  if (space <= 0 || space === payload.length - 1) return undefined;
  return { pool: payload.slice(0, space), id: payload.slice(space + 1) };
}
