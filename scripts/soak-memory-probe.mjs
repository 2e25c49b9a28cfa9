// Preloaded into the server by scripts/soak.ts (node --expose-gc --import): answers "memory" on the
// IPC channel with the heap after a full garbage collection, so that before/after figures compare
// live objects rather than garbage not collected yet. Not part of the server.
if (process.send) {
  process.channel?.unref();
  process.on('message', (message) => {
    if (message !== 'memory') return;
    globalThis.gc?.();
    process.send({ memory: process.memoryUsage() });
  });
}
