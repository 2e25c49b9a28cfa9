import { createServer, type Server } from 'node:net';

/** The local pool's port unless told otherwise (cognito-local's own default). */
export const DEFAULT_POOL_PORT = 9229;

/** A start-up refusal meant for the terminal: one line, the setting, and what to do. */
export class LocalPoolStartError extends Error {
  override name = 'LocalPoolStartError';
}

export function portInUse(port: number, what: string, variable: string, host = '127.0.0.1'): LocalPoolStartError {
  return new LocalPoolStartError(
    `Port ${port} (${what}) is already in use on ${host}: stop what listens there, or set ${variable} to a free port.`,
  );
}

/** Resolves when `port` can be bound on the loopback interface; refuses with portInUse otherwise. */
export function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  return new Promise((done, fail) => {
    const probe: Server = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => fail(error.code === 'EADDRINUSE' ? portInUse(port, what, variable) : error));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => done()));
  });
}

/** A port from the environment (e.g. LOCAL_COGNITO_PORT), or the default. */
export function localPort(env: Record<string, string | undefined>, variable: string, fallback: number): number {
  const raw = env[variable]?.trim();
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new LocalPoolStartError(`${variable} must be a port number from 1 to 65535 (got "${raw}").`);
  return port;
}
