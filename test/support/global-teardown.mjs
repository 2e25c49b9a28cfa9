export default async function globalTeardown() {
  const stop = globalThis.__stopTestStack;
  globalThis.__stopTestStack = undefined;
  await stop?.();
}
