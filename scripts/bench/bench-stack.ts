/**
 * What the benchmarks share: the pool of their own (a JWKS and GetUser for the tokens it signs),
 * signed token sets, the API started as `npm run start:prod` starts it on an embedded PostgreSQL,
 * pinned to its core, and the load generator pinned to the other.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedDatabase } from '../../dev/local/embedded-database.js';
import { freePort } from '@backend/local-cognito';
import pg from 'pg';

export const CONNECTIONS = 50;
/**
 * A database that has run a while recycles its WAL files; this one is new, and would create each
 * 16 MB file by writing and syncing zeros, under first sights about one a second, holding every
 * commit up for 50-65 ms meanwhile. Created without the zeros, a new file costs what a recycled one does.
 */
const STEADY_WAL = { wal_init_zero: 'off' };

/** Users seen once before anything is measured. */
export const USERS = 1000;
const CACHE = resolve('node_modules/.cache/bench');
const HERE = resolve('scripts/bench');
const POOL_ID = 'us-bench-1_BenchPool';
const CLIENT_ID = 'bench-client';
const KID = 'bench-key';

export const TASKSET = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
export const SERVER_CORE = '0';
export const LOAD_CORE = '1';

export const say = (line: string) => console.log(`[bench] ${line}`);

export interface LoadResult {
  rps: number;
  total: number;
  seconds: number;
  p50: number;
  p99: number;
  errors: number;
  exhausted: boolean;
  distinctTokens: number;
  /** CPU time the server spent per answered request, in microseconds. */
  cpuUs?: number;
  /** CPU time PostgreSQL spent per answered request, in microseconds. */
  postgresUs?: number;
}

/** Runs `command` on `core` when taskset exists. */
function pinnedSpawn(core: string, command: string, args: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
  return TASKSET ? spawn('taskset', ['-c', core, command, ...args], options) : spawn(command, args, options);
}

/** The bench's user pool: its JWKS, and GetUser answering with the attributes its tokens imply. */
class BenchPool {
  private server?: Server;
  endpoint = '';
  constructor(private readonly publicKey: KeyObject) {}

  async start(preferredPort: number | undefined): Promise<number> {
    const listen = (port: number) =>
      new Promise<Server>((done, fail) => {
        const server = createServer((request, response) => this.handle(request, response));
        server.once('error', fail);
        server.listen(port, '127.0.0.1', () => done(server));
      });
    this.server = await listen(preferredPort ?? 0).catch(() => listen(0));
    const { port } = this.server.address() as { port: number };
    this.endpoint = `http://127.0.0.1:${port}`;
    return port;
  }

  stop(): Promise<void> {
    this.server?.closeAllConnections();
    return new Promise((done) => (this.server ? this.server.close(() => done()) : done()));
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    if (request.method === 'GET' && request.url === `/${POOL_ID}/.well-known/jwks.json`) {
      const jwk = { ...this.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' };
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
      return;
    }
    if (request.method === 'POST' && request.headers['x-amz-target'] === 'AWSCognitoIdentityProviderService.GetUser') {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        const token = (JSON.parse(body) as { AccessToken: string }).AccessToken;
        const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string; username: string };
        const attributes = { sub: claims.sub, email: `${claims.username}@example.com`, email_verified: 'true', given_name: 'Bench' };
        response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(
          JSON.stringify({
            Username: claims.username,
            UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value })),
          }),
        );
      });
      return;
    }
    response.writeHead(404).end();
  }
}

/** The signing key and the pool's last port (tokens name the issuer, which includes it), kept between runs. */
function benchKey(): { keyPem: string; publicKey: KeyObject; lastPort?: number } {
  mkdirSync(CACHE, { recursive: true });
  const keyFile = join(CACHE, 'key.pem');
  if (!existsSync(keyFile)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(keyFile, privateKey.export({ format: 'pem', type: 'pkcs8' }));
  }
  const keyPem = readFileSync(keyFile, 'utf8');
  const portFile = join(CACHE, 'pool-port');
  const lastPort = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined;
  return { keyPem, publicKey: createPublicKey(keyPem), lastPort };
}

/** Who a token set is for: each token a new user, or new tokens (refreshed sessions) of known users. */
export interface KnownUser {
  sub: string;
  username: string;
  auth_time: number;
  /** The sign-in session, as Cognito's tokens name it: kept through refreshes. */
  origin_jti: string;
}

/** Bumped when the signed claims change, so that cached token sets of another shape are not reused. */
const TOKEN_FORMAT = 2;

/**
 * A file of `count` tokens for `issuer`, signed on both cores the first time, reused for a day. With
 * `users`, the tokens cycle through those users (same sub, sign-in time and session `origin_jti`, a new
 * `jti` and `iat`: what a refresh gives), so that a never-seen token is not also a new user.
 */
export async function tokenSet(name: string, count: number, keyPem: string, issuer: string, users?: KnownUser[]): Promise<string> {
  const folder = join(CACHE, createHash('sha256').update(`${TOKEN_FORMAT} ${issuer}`).digest('hex').slice(0, 12));
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${name}-${count}.json`);
  if (existsSync(file) && Date.now() - statSync(file).mtimeMs < 12 * 3600_000) return file;
  const parts = 2;
  const started = Date.now();
  const outputs = Array.from({ length: parts }, (_, part) => `${file}.${part}`);
  await Promise.all(
    outputs.map((out, part) => {
      const job = { keyPem, kid: KID, issuer, clientId: CLIENT_ID, count: Math.ceil(count / parts), out, users, part };
      // In a file: a thousand users are more than one command-line argument may hold.
      writeFileSync(`${out}.job`, JSON.stringify(job));
      return new Promise<void>((done, fail) => {
        const child = spawn(process.execPath, [join(HERE, 'mint.mjs'), `${out}.job`], { stdio: 'inherit' });
        child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`signing tokens failed (${code})`))));
      });
    }),
  );
  const tokens = outputs.flatMap((out) => JSON.parse(readFileSync(out, 'utf8')) as string[]).slice(0, count);
  writeFileSync(file, JSON.stringify(tokens));
  for (const out of outputs) rmSync(out);
  for (const out of outputs) rmSync(`${out}.job`);
  say(`signed ${count} tokens (${name}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

export function runLoad(job: {
  url: string;
  path: string;
  seconds: number;
  tokens: 'none' | 'repeat' | 'unique';
  tokensFile?: string;
}): Promise<LoadResult> {
  return new Promise((done, fail) => {
    const child = pinnedSpawn(LOAD_CORE, process.execPath, [join(HERE, 'load.mjs'), JSON.stringify({ connections: CONNECTIONS, ...job })], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return fail(new Error(`the load generator exited with ${code}`));
      done(JSON.parse(output.trim().split('\n').pop()!) as LoadResult);
    });
  });
}

async function waitFor(url: string, process: ChildProcess, label: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (process.exitCode !== null) throw new Error(`${label} exited with code ${process.exitCode}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${label} was not ready within 60 s`);
}

/** CPU time (user + system) a process has used, in ms: per request, it does not depend on what else the machine runs. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks of 1/100 s
}

/** CPU time, in ms, of each PostgreSQL process on the machine (the benchmark's database is the only busy one), by pid. */
export function postgresCpuMs(): Map<string, number> {
  const result = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const fields = stat.split(') ')[1].split(' ');
      result.set(entry, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
    } catch {
      // The process ended in between.
    }
  }
  return result;
}

/** PostgreSQL's CPU time since `before`, in ms (a process that ended meanwhile takes its share with it: a slight undercount). */
export function postgresCpuSince(before: Map<string, number>): number {
  let total = 0;
  for (const [pid, ms] of postgresCpuMs()) total += ms - (before.get(pid) ?? 0);
  return total;
}

/**
 * Where a process's resident memory is, in MiB: V8's heap pages (anonymous mappings of 256 KiB, the
 * size V8 allocates them in, whether a space uses them now or keeps them pooled), other anonymous
 * memory (malloc: buffers, OpenSSL, native modules) and mapped files (the node binary, libraries).
 */
export function residentMiB(pid: number): { v8Pages: number; otherAnonymous: number; files: number } {
  const result = { v8Pages: 0, otherAnonymous: 0, files: 0 };
  let kind: keyof typeof result = 'files';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const mapping = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) {
      const size = parseInt(mapping[2], 16) - parseInt(mapping[1], 16);
      const name = mapping[3];
      kind = name.startsWith('/') ? 'files' : !name && size === 256 * 1024 ? 'v8Pages' : 'otherAnonymous';
    } else if (line.startsWith('Rss:')) result[kind] += Number(line.split(/\s+/)[1]) / 1024;
  }
  return result;
}

export interface MemoryFigures {
  rss: number;
  heap: { used: number; total: number; external: number };
  resident: ReturnType<typeof residentMiB>;
}

/** A process's RSS, its V8 heap (from its metrics) and where its resident memory is, in MiB. */
export async function memoryFigures(pid: number, metricsUrl: string): Promise<MemoryFigures> {
  return { rss: rssMiB(pid), heap: await heapFigures(metricsUrl), resident: residentMiB(pid) };
}

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** The V8 heap's used and total size and the external memory in MiB, from the API's own metrics. */
export async function heapFigures(metricsUrl: string): Promise<{ used: number; total: number; external: number }> {
  const text = await fetch(metricsUrl).then((response) => response.text());
  const mib = (name: string) => Number(new RegExp(`^${name} ([\\d.e+]+)`, 'm').exec(text)?.[1] ?? NaN) / 1024 / 1024;
  return {
    used: mib('nodejs_heap_size_used_bytes'),
    total: mib('nodejs_heap_size_total_bytes'),
    external: mib('nodejs_external_memory_bytes'),
  };
}

/** Background rechecks the API has made so far, whatever their outcome (0 from a build without them). */
export async function rechecksMade(metricsUrl: string): Promise<number> {
  const text = await fetch(metricsUrl).then((response) => response.text());
  return [...text.matchAll(/^token_rechecks_total\{[^}]*\} ([\d.e+]+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** How `npm run start:prod` runs the server (package.json is the one place its Node options are written). */
export function startProdArgs(main: string): string[] {
  const script = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod'];
  const [command, ...args] = script.trim().split(/\s+/);
  if (command !== 'node' || args[args.length - 1] !== 'dist/src/main.js')
    throw new Error(`start:prod is not "node [options] dist/src/main.js": ${script}`);
  return [...args.slice(0, -1), main];
}

/** A new database `name` beside the one `url` names; its URL. */
async function createDatabase(url: string, name: string): Promise<string> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const other = new URL(url);
  other.pathname = `/${name}`;
  return other.href;
}

/** One running build of the API. */
export interface BenchApi {
  api: string;
  /** The API's process (taskset runs the command in its own process: the pid is the server's). */
  apiPid: number;
  metricsUrl: string;
  /** The API's memory when it first answered, before any token. */
  memoryAtReady: MemoryFigures;
  logFile: string;
}

export interface BenchStack extends BenchApi {
  /** `compareMain`'s build, on a database of its own (two builds may not share a schema). */
  compare?: BenchApi;
  issuer: string;
  keyPem: string;
  /** A token for each of the USERS users, all seen once before this returns. */
  usersFile: string;
  knownUsers: KnownUser[];
  /** Starts bare Fastify on the API's core; its URL. */
  startBare: () => Promise<{ url: string; pid: number }>;
  /** Starts the hand-written first sight (lean-first-sight.mjs) on the API's core, on the same database and pool; its URL. */
  startLean: () => Promise<{ url: string; pid: number }>;
  stop: () => Promise<void>;
}

/**
 * The database, the pool and the API (`main`: a dist/src/main.js, run with start:prod's options),
 * with every one of USERS users seen once (GetUser, insert) so that the caches are warm.
 */
export async function startBenchStack(options: {
  main: string;
  /** A second build to run beside `main`, on the same core, pool and token sets. */
  compareMain?: string;
  cpuProfileDir?: string;
  nodeOptions?: string;
}): Promise<BenchStack> {
  // This process serves the pool: it stays off the server's core.
  if (TASKSET) execFileSync('taskset', ['-pc', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'backend-bench-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as another user that must reach its folder
  const stops: Array<() => Promise<unknown>> = [() => Promise.resolve(rmSync(dir, { recursive: true, force: true }))];
  const stop = async () => {
    for (const step of stops) await step().catch(() => undefined);
  };
  try {
    const database = await startEmbeddedDatabase(join(dir, 'postgres'), await freePort(), STEADY_WAL);
    stops.unshift(database.stop);

    const { keyPem, publicKey, lastPort } = benchKey();
    const pool = new BenchPool(publicKey);
    const poolPort = await pool.start(lastPort);
    writeFileSync(join(CACHE, 'pool-port'), String(poolPort));
    stops.unshift(() => pool.stop());
    const issuer = `${pool.endpoint}/${POOL_ID}`;

    const usersFile = await tokenSet('users', USERS, keyPem, issuer);
    const knownUsers = (JSON.parse(readFileSync(usersFile, 'utf8')) as string[]).map((token) => {
      const { sub, username, auth_time, origin_jti } = JSON.parse(
        Buffer.from(token.split('.')[1], 'base64url').toString('utf8'),
      ) as KnownUser;
      return { sub, username, auth_time, origin_jti };
    });

    const startApi = async (main: string, databaseUrl: string): Promise<BenchApi> => {
      const apiPort = await freePort();
      const metricsPort = await freePort();
      const api = `http://127.0.0.1:${apiPort}`;
      const logFile = join(dir, `server-${apiPort}.log`);
      const logFd = openSync(logFile, 'a');
      const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
      const server = pinnedSpawn(SERVER_CORE, process.execPath, [...profile, ...startProdArgs(main)], {
        env: {
          PATH: process.env.PATH,
          ...(options.nodeOptions && { NODE_OPTIONS: options.nodeOptions }),
          // To measure the request path alone (0) or a recheck wave (1); the production default otherwise.
          ...(process.env.TOKEN_RECHECK_SECONDS && { TOKEN_RECHECK_SECONDS: process.env.TOKEN_RECHECK_SECONDS }),
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          NODE_ENV: 'test',
          HOST: '127.0.0.1',
          PORT: String(apiPort),
          METRICS_PORT: String(metricsPort),
          LOG_LEVEL: 'info',
          DATABASE_URL: databaseUrl,
          COGNITO_ENDPOINT: pool.endpoint,
          COGNITO_REGION: 'us-bench-1',
          COGNITO_USER_POOL_ID: POOL_ID,
          COGNITO_CLIENT_IDS: CLIENT_ID,
        },
        // As a container's stdout: the access log goes to a file, never held up by this process.
        stdio: ['ignore', logFd, logFd],
      });
      closeSync(logFd);
      const serverExited = new Promise((done) => server.once('close', done));
      stops.unshift(async () => {
        if (server.exitCode === null) server.kill('SIGTERM');
        await serverExited;
      });
      await waitFor(`${api}/health/ready`, server, 'the API');
      const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
      const memoryAtReady = await memoryFigures(server.pid!, metricsUrl);
      // Every user's first request (GetUser, insert) before any measuring.
      await runLoad({ url: api, path: '/api/v1/me', seconds: 120, tokens: 'unique', tokensFile: usersFile });
      return { api, apiPid: server.pid!, metricsUrl, memoryAtReady, logFile };
    };
    const main = await startApi(options.main, database.url);
    const compare = options.compareMain ? await startApi(options.compareMain, await createDatabase(database.url, 'compare')) : undefined;

    const startReference = async (label: string, script: string, job: (port: number) => string[]) => {
      const port = await freePort();
      const reference = pinnedSpawn(SERVER_CORE, process.execPath, [join(HERE, script), ...job(port)], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      stops.unshift(() => Promise.resolve(reference.kill()));
      const url = `http://127.0.0.1:${port}`;
      await waitFor(`${url}/`, reference, label);
      return { url, pid: reference.pid! };
    };
    const startBare = () => startReference('bare Fastify', 'bare-fastify.mjs', (port) => [String(port)]);
    const startLean = () =>
      startReference('the hand-written first sight', 'lean-first-sight.mjs', (port) => [
        JSON.stringify({ port, issuer, clientId: CLIENT_ID, databaseUrl: database.url }),
      ]);
    return {
      ...main,
      compare,
      issuer,
      keyPem,
      usersFile,
      knownUsers,
      startBare,
      startLean,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
