export type Env = Record<string, string | undefined>;

/** Every problem of the token command's settings, in one message. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
