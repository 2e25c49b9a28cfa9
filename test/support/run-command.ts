import { execFile } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `npm run -s <script> -- <args>` as a person would, with only the variables given on top of
 * a clean environment (no COGNITO_*, AWS_* or LOCAL_STACK_FILE from the caller).
 */
export function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(COGNITO_|AWS_|LOCAL_STACK_FILE$)/.test(name)));
  return new Promise((resolve) => {
    execFile('npm', ['run', '-s', script, '--', ...args], { env: { ...inherited, ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
