import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from '@backend/local-cognito';
import { waitFor } from './wait-for.js';

/** Compiled by the global setup (see global-setup.mjs). */
const MAIN = resolve('node_modules/.cache/jest/server/src/main.js');
const START_TIMEOUT_MS = 60_000; // loading the server takes seconds of CPU, which a busy 2-core machine spreads thin

export interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  status?: number;
  responseTime?: number;
  [field: string]: unknown;
}

/**
 * The production entry point (`src/main.ts`, as `npm run start:prod` runs it) as a real process of its
 * own: it can be sent SIGTERM, and its stdout is the log a deployment would collect.
 */
export class ServerProcess {
  readonly output: string[] = [];
  readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      this.output.push(...lines);
    });
    child.stderr!.on('data', (chunk: Buffer) => this.output.push(...chunk.toString().split('\n').filter(Boolean)));
    // 'close', not 'exit': by then all of its output has been read.
    this.exited = new Promise((done) => child.once('close', (code) => done(code)));
  }

  /** `args` replace the entry point (Node's options and a script), run in `cwd`; PORT is always a free port. */
  static async start(env: Record<string, string>, options: { args?: string[]; cwd?: string } = {}): Promise<ServerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, options.args ?? [MAIN], {
      cwd: options.cwd,
      env: {
        PATH: process.env.PATH,
        HOST: '127.0.0.1',
        ...env,
        PORT: String(port),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`);
    await server.waitUntilListening();
    return server;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Every stdout line that is a JSON log record. */
  logs(): LogLine[] {
    return this.output.flatMap((line): LogLine[] => {
      try {
        const record = JSON.parse(line) as unknown;
        return record && typeof record === 'object' ? [record as LogLine] : [];
      } catch {
        return [];
      }
    });
  }

  /** The access-log lines: one per answered request. */
  requestLogs(): LogLine[] {
    return this.logs().filter((line) => typeof line.reqId === 'string' && typeof line.status === 'number');
  }

  /** The access-log lines of a request id, once there is one (the line is written as the answer ends). */
  async requestLogsOf(reqId: string, timeoutMs = 2000): Promise<LogLine[]> {
    const lines = () => {
      const found = this.requestLogs().filter((line) => line.reqId === reqId);
      if (found.length === 0) throw new Error(`no access-log line of ${reqId} yet`);
      return found;
    };
    return waitFor(lines, { timeout: timeoutMs }).catch((): LogLine[] => []);
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** SIGTERM, then the exit code; SIGKILL if it has not exited within `timeoutMs`. */
  async stop(timeoutMs = 15_000): Promise<number | null> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.child.exitCode;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitUntilListening(): Promise<void> {
    let exited = false;
    try {
      await waitFor(
        async () => {
          exited = this.child.exitCode !== null;
          if (exited) return;
          const response = await fetch(`${this.url}/health/live`, { signal: AbortSignal.timeout(500) });
          if (!response.ok) throw new Error(`/health/live answered ${response.status}`);
        },
        { timeout: START_TIMEOUT_MS, interval: 100, message: `the server to answer on ${this.url}` },
      );
    } catch (error) {
      this.child.kill('SIGKILL');
      throw new Error(`${(error as Error).message}:\n${this.output.join('\n')}`, { cause: error });
    }
    if (exited) throw new Error(`The server exited with code ${this.child.exitCode}:\n${this.output.join('\n')}`);
  }
}
