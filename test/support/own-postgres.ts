import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../dev/local/embedded-database.js';
import { freePort } from '@backend/local-cognito';

/**
 * A PostgreSQL cluster of one test file's own, which it may stop and start again without disturbing
 * the other test files (they share the run's database server).
 */
export class OwnPostgres {
  private running?: EmbeddedDatabase;

  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const dir = mkdtempSync(join(tmpdir(), 'backend-own-pg-'));
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as another user that must reach its folder
    const postgres = new OwnPostgres(dir, await freePort());
    await postgres.startAgain();
    return postgres;
  }

  get url(): string {
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/postgres`;
  }

  /** A fast shutdown, as on a failover or a restart: open sessions are terminated. */
  async stop(): Promise<void> {
    await this.running?.stop();
    this.running = undefined;
  }

  async startAgain(): Promise<void> {
    this.running ??= await startEmbeddedDatabase(join(this.dir, 'data'), this.port);
  }

  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
