/**
 * `npm run bench`: the API's throughput beside a bare Fastify route, on one machine, in one run.
 *
 * The compiled API (as `npm run start:prod` runs it) and a bare Fastify constant-JSON server share one
 * core; the load generator (autocannon, a process of its own) and the pool the other (`taskset`,
 * where it exists); PostgreSQL is left to the scheduler. The pool is a small one of this script's own: it publishes a JWKS and
 * answers GetUser for any token it signed, so tokens are real RS256 tokens without the emulator.
 * Scenarios, interleaved in rounds: bare Fastify; GET /api/v1/me with 1,000 users repeating their
 * tokens; a never-seen token per request; a new user per request; GET /health/live. Prints the
 * medians of req/s, p50/p99, errors and the ratios against bare Fastify, then the API's RSS.
 *
 * `npm run bench -- --quick` (one round of 5 s, about a minute), `--seconds N`, `--rounds N`,
 * `--no-build` (use dist/ as it is), `--main <file>` (another build's dist/src/main.js, to compare),
 * `--cpu-prof <dir>` (the API writes a CPU profile there when it stops; summarise it with
 * `node scripts/bench/profile-summary.mjs <file>`), `--only <n,...>` (scenarios by number, 1-5). Signed token sets are cached for a day in node_modules/.cache/bench.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, createPublicKey, type KeyObject } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedDatabase } from '../../dev/local/embedded-database.js';
import { freePort } from '../../dev/local/free-port.js';

const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
function option(name: string, fallback: number): number {
  const at = argv.indexOf(`--${name}`);
  const value = at === -1 ? fallback : Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}
const SECONDS = option('seconds', QUICK ? 5 : 15);
const ROUNDS = option('rounds', QUICK ? 1 : 3);
const ONLY = argv.includes('--only') ? argv[argv.indexOf('--only') + 1].split(',').map(Number) : undefined;
const CONNECTIONS = 50;
const USERS = 1000;
/** Token sets are sized for these rates; a faster API ends the run early, when its tokens are spent. */
const NEVER_SEEN_PER_SECOND = 6000;
const NEW_USERS_PER_SECOND = 2500;

const CACHE = resolve('node_modules/.cache/bench');
/** `--main <file>`: another build of the server (an older commit's, to compare), with `--no-build`. */
const MAIN = resolve(argv.includes('--main') ? argv[argv.indexOf('--main') + 1] : 'dist/src/main.js');
const HERE = resolve('scripts/bench');
const POOL_ID = 'us-bench-1_BenchPool';
const CLIENT_ID = 'bench-client';
const KID = 'bench-key';

const TASKSET = (() => {
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const SERVER_CORE = '0';
const LOAD_CORE = '1';

const say = (line: string) => console.log(`[bench] ${line}`);

interface LoadResult {
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
interface KnownUser {
  sub: string;
  username: string;
  auth_time: number;
}

/**
 * A file of `count` tokens for `issuer`, signed on both cores the first time, reused for a day. With
 * `users`, the tokens cycle through those users (same sub and sign-in time, a new `jti` and `iat`: what
 * a refresh gives), so that a never-seen token is not also a new user.
 */
async function tokenSet(name: string, count: number, keyPem: string, issuer: string, users?: KnownUser[]): Promise<string> {
  const folder = join(CACHE, createHash('sha256').update(issuer).digest('hex').slice(0, 12));
  mkdirSync(folder, { recursive: true });
  const file = join(folder, `${name}-${count}.json`);
  if (existsSync(file) && Date.now() - statSync(file).mtimeMs < 12 * 3600_000) return file;
  const parts = 2;
  const started = Date.now();
  const outputs = Array.from({ length: parts }, (_, part) => `${file}.${part}`);
  await Promise.all(
    outputs.map((out, part) => {
      const job = { keyPem, kid: KID, issuer, clientId: CLIENT_ID, count: Math.ceil(count / parts), out, users, part };
      return new Promise<void>((done, fail) => {
        const child = spawn(process.execPath, [join(HERE, 'mint.mjs'), JSON.stringify(job)], { stdio: 'inherit' });
        child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`signing tokens failed (${code})`))));
      });
    }),
  );
  const tokens = outputs.flatMap((out) => JSON.parse(readFileSync(out, 'utf8')) as string[]).slice(0, count);
  writeFileSync(file, JSON.stringify(tokens));
  for (const out of outputs) rmSync(out);
  say(`signed ${count} tokens (${name}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return file;
}

function runLoad(job: {
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
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks of 1/100 s
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  if (!argv.includes('--no-build')) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  // This process serves the pool: it stays off the server's core.
  if (TASKSET) execFileSync('taskset', ['-pc', LOAD_CORE, String(process.pid)], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'backend-bench-'));
  chmodSync(dir, 0o755); // as root, PostgreSQL runs as another user that must reach its folder
  const stops: Array<() => Promise<unknown>> = [() => Promise.resolve(rmSync(dir, { recursive: true, force: true }))];
  try {
    const databaseDir = join(dir, 'postgres');
    const database = await startEmbeddedDatabase(databaseDir, await freePort());
    stops.unshift(database.stop);

    const { keyPem, publicKey, lastPort } = benchKey();
    const pool = new BenchPool(publicKey);
    const poolPort = await pool.start(lastPort);
    writeFileSync(join(CACHE, 'pool-port'), String(poolPort));
    stops.unshift(() => pool.stop());
    const issuer = `${pool.endpoint}/${POOL_ID}`;

    const usersFile = await tokenSet('users', USERS, keyPem, issuer);
    const knownUsers = (JSON.parse(readFileSync(usersFile, 'utf8')) as string[]).map((token) => {
      const { sub, username, auth_time } = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as KnownUser;
      return { sub, username, auth_time };
    });
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Only the token sets of the scenarios that run are signed.
      const runs = (scenario: number) => !ONLY || ONLY.includes(scenario);
      rounds.push({
        neverSeen: runs(3)
          ? await tokenSet(`refreshed-${SECONDS}s-round${round}`, SECONDS * NEVER_SEEN_PER_SECOND, keyPem, issuer, knownUsers)
          : '',
        newUsers: runs(4) ? await tokenSet(`new-users-${SECONDS}s-round${round}`, SECONDS * NEW_USERS_PER_SECOND, keyPem, issuer) : '',
      });
    }

    const apiPort = await freePort();
    const api = `http://127.0.0.1:${apiPort}`;
    const logFile = join(dir, 'server.log');
    const logFd = openSync(logFile, 'a');
    const profileDir = argv.includes('--cpu-prof') ? resolve(argv[argv.indexOf('--cpu-prof') + 1]) : undefined;
    const server = pinnedSpawn(SERVER_CORE, process.execPath, [...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), MAIN], {
      env: {
        PATH: process.env.PATH,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(apiPort),
        LOG_LEVEL: 'info',
        DATABASE_URL: database.url,
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
    const barePort = await freePort();
    const bare = pinnedSpawn(SERVER_CORE, process.execPath, [join(HERE, 'bare-fastify.mjs'), String(barePort)], { stdio: 'ignore' });
    stops.unshift(() => Promise.resolve(bare.kill()));
    await waitFor(`${api}/health/ready`, server, 'the API');
    await waitFor(`http://127.0.0.1:${barePort}/`, bare, 'bare Fastify');
    // taskset runs the command in its own process: the pid is the server's.
    const serverPid = server.pid!;

    say(
      `${TASKSET ? `API and bare Fastify on core ${SERVER_CORE}; load and pool on core ${LOAD_CORE}; PostgreSQL unpinned` : 'no taskset: nothing pinned'}; ` +
        `${CONNECTIONS} connections, ${ROUNDS} round(s) of ${SECONDS} s per scenario; access log in ${logFile}`,
    );
    say(`warming up: ${USERS} users seen once, then each scenario briefly`);
    // Every user's first request (GetUser, insert) before any measuring; then the caches are warm.
    await runLoad({ url: api, path: '/api/v1/me', seconds: 120, tokens: 'unique', tokensFile: usersFile });
    await runLoad({ url: api, path: '/api/v1/me', seconds: 3, tokens: 'repeat', tokensFile: usersFile });
    await runLoad({ url: `http://127.0.0.1:${barePort}`, path: '/', seconds: 2, tokens: 'none' });
    await runLoad({ url: api, path: '/health/live', seconds: 2, tokens: 'none' });

    const scenarios = [
      'bare Fastify (constant JSON)',
      'GET /api/v1/me, repeated tokens',
      'a never-seen token per request',
      'a new user per request',
      'GET /health/live',
    ];
    const results: LoadResult[][] = scenarios.map(() => []);
    let distinct = USERS;
    for (const [round, files] of rounds.entries()) {
      say(`round ${round + 1} of ${ROUNDS}`);
      const runs = [
        () => runLoad({ url: `http://127.0.0.1:${barePort}`, path: '/', seconds: SECONDS, tokens: 'none' }),
        () => runLoad({ url: api, path: '/api/v1/me', seconds: SECONDS, tokens: 'repeat', tokensFile: usersFile }),
        () => runLoad({ url: api, path: '/api/v1/me', seconds: SECONDS, tokens: 'unique', tokensFile: files.neverSeen }),
        () => runLoad({ url: api, path: '/api/v1/me', seconds: SECONDS, tokens: 'unique', tokensFile: files.newUsers }),
        () => runLoad({ url: api, path: '/health/live', seconds: SECONDS, tokens: 'none' }),
      ];
      for (const [index, run] of runs.entries()) {
        if (ONLY && index > 0 && !ONLY.includes(index + 1)) continue;
        const pid = index === 0 ? bare.pid! : serverPid;
        const cpuBefore = cpuMs(pid);
        const result = await run();
        result.cpuUs = ((cpuMs(pid) - cpuBefore) * 1000) / result.total;
        results[index].push(result);
        if (index === 2 || index === 3) distinct += result.distinctTokens;
        say(
          `  ${scenarios[index]}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.errors} errors, ` +
            `${result.cpuUs.toFixed(0)} µs CPU per request` +
            (result.exhausted ? ` (all ${result.distinctTokens} tokens sent after ${result.seconds.toFixed(1)} s)` : ''),
        );
      }
    }
    const rss = rssMiB(serverPid);

    const bareRates = results[0].map((result) => result.rps);
    const targets: Array<[number, number | undefined, number | undefined]> = [
      [0, undefined, undefined],
      [1, 0.25, 15],
      [2, 0.09, undefined],
      [3, 0.03, 50],
      [4, 0.35, undefined],
    ];
    console.log('');
    // The CPU ratio (bare Fastify's CPU per request over the scenario's) is what the req/s ratio would be
    // on an otherwise idle core: on a shared machine it is the steadier of the two.
    console.log('| scenario | req/s | p50 ms | p99 ms | errors | x bare Fastify | µs CPU/request | x bare (CPU) | target |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
    let errors = 0;
    for (const [index, ratioTarget, p99Target] of targets) {
      const runs = results[index];
      if (runs.length === 0) continue;
      errors += runs.reduce((sum, result) => sum + result.errors, 0);
      const ratio = median(runs.map((result, round) => result.rps / bareRates[round]));
      const p99 = median(runs.map((result) => result.p99));
      const cpu = median(runs.map((result) => result.cpuUs!));
      const cpuRatio = median(runs.map((result, round) => results[0][round].cpuUs! / result.cpuUs!));
      const target = [ratioTarget && `>= ${ratioTarget}x`, p99Target && `p99 < ${p99Target} ms`].filter(Boolean).join(', ');
      const met = (!ratioTarget || ratio >= ratioTarget) && (!p99Target || p99 < p99Target);
      console.log(
        `| ${scenarios[index]} | ${median(runs.map((result) => result.rps)).toFixed(0)} | ${median(runs.map((result) => result.p50))} | ${p99} | ` +
          `${runs.reduce((sum, result) => sum + result.errors, 0)} | ${index === 0 ? '1' : ratio.toFixed(3)} | ${cpu.toFixed(0)} | ` +
          `${index === 0 ? '1' : cpuRatio.toFixed(3)} | ${target ? `${target} ${met ? 'met' : 'NOT met'}` : ''} |`,
      );
    }
    console.log('');
    say(`API RSS after ${distinct} distinct tokens: ${rss.toFixed(0)} MiB`);
    if (errors > 0) {
      say(`FAILED: ${errors} failed requests (see ${logFile})`);
      process.exitCode = 1;
    }
  } finally {
    for (const stop of stops) await stop().catch(() => undefined);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
