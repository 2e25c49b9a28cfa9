import { createServer, type Server } from 'node:net';

/** A start-up refusal meant for the terminal: one line, the port, and what to do. */
export class LocalStackError extends Error {
  override name = 'LocalStackError';
}

export function portInUse(port: number, what: string, variable: string): LocalStackError {
  return new LocalStackError(`Port ${port} (${what}) is already in use on 127.0.0.1: stop what listens there, or set ${variable} to a free port.`);
}

/** Resolves when `port` can be bound on the loopback interface; refuses with portInUse otherwise. */
export function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe: Server = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portInUse(port, what, variable) : error));
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}
