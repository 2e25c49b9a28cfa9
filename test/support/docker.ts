import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface DockerResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the docker CLI (or `command`, e.g. docker-compose) and resolves with its exit code and output; never rejects. */
export function docker(
  args: string[],
  options: { command?: string; env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<DockerResult> {
  return new Promise((resolve) => {
    execFile(
      options.command ?? 'docker',
      args,
      { env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** Like docker(), but a non-zero exit is an error that carries the command's output. */
export async function dockerOk(args: string[], options: Parameters<typeof docker>[1] = {}): Promise<string> {
  const result = await docker(args, options);
  if (result.code !== 0)
    throw new Error(`${options.command ?? 'docker'} ${args.join(' ')} exited with ${result.code}:\n${result.stderr}${result.stdout}`);
  return result.stdout.trim();
}

/** The images the Docker suite's global setup built (test/docker/global-setup.mjs). */
export function builtImages(): { nodeImage: string; backend: string; emulator: string } {
  const { DOCKER_TEST_NODE_IMAGE, DOCKER_TEST_BACKEND_IMAGE, DOCKER_TEST_EMULATOR_IMAGE } = process.env;
  if (!DOCKER_TEST_NODE_IMAGE || !DOCKER_TEST_BACKEND_IMAGE || !DOCKER_TEST_EMULATOR_IMAGE)
    throw new Error('Run the Docker suite with `npm run test:docker`');
  return { nodeImage: DOCKER_TEST_NODE_IMAGE, backend: DOCKER_TEST_BACKEND_IMAGE, emulator: DOCKER_TEST_EMULATOR_IMAGE };
}

/** A container started in the background on the host's network (loopback only: the engine runs without a bridge). */
export class Container {
  private constructor(readonly name: string) {}

  static async run(
    image: string,
    options: { env?: Record<string, string>; volumes?: string[]; command?: string[] } = {},
  ): Promise<Container> {
    const name = `backend-test-${randomBytes(4).toString('hex')}`;
    const env = Object.entries(options.env ?? {}).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
    const volumes = (options.volumes ?? []).flatMap((volume) => ['--volume', volume]);
    await dockerOk(['run', '--detach', '--network', 'host', '--name', name, ...env, ...volumes, image, ...(options.command ?? [])]);
    return new Container(name);
  }

  /** `docker inspect --format` of this container. */
  inspect(format: string): Promise<string> {
    return dockerOk(['inspect', '--format', format, this.name]);
  }

  /** stdout and stderr together, as `docker logs` shows them. */
  async logs(): Promise<string> {
    const { stdout, stderr } = await docker(['logs', this.name]);
    return stdout + stderr;
  }

  /** Waits for the container to stop and resolves with its exit code. */
  async exitCode(timeoutMs = 60_000): Promise<number> {
    return Number(await dockerOk(['wait', this.name], { timeoutMs }));
  }

  async remove(): Promise<void> {
    await docker(['rm', '--force', '--volumes', this.name]);
  }
}
