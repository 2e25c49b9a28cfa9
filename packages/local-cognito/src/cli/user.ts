import { parseArgs } from 'node:util';
import { createUser, deleteUser } from '../../testing/local-pool.mjs';

const USAGE = `Usage:
  npm run -s user -- add <username> --password <password> [--group <group>]... [--attr <name>=<value>]... [--pool <pool>]
  npm run -s user -- remove <username> [--pool <pool>]

Adds a confirmed user with a permanent password (missing groups are created), or removes one, in the
local pool of \`npm start\` (.data/local-stack.json, or LOCAL_STACK_FILE); --pool staff: in its pool staff. Then:
  npm run -s token -- <username> --password <password> [--pool <pool>]`;

class UsageError extends Error {}

function parseCommandLine() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        password: { type: 'string' },
        group: { type: 'string', multiple: true },
        attr: { type: 'string', multiple: true },
        pool: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
}

function attributes(pairs: string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new UsageError(`--attr takes name=value (got "${pair}")\n\n${USAGE}`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseCommandLine();
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [action, username, ...rest] = positionals;
  if (!username || rest.length > 0) throw new UsageError(USAGE);
  const where = values.pool === undefined ? 'the local pool' : `the local pool ${values.pool}`;

  if (action === 'add') {
    if (!values.password) throw new UsageError(`add needs --password\n\n${USAGE}`);
    const user = await createUser(
      {
        username,
        password: values.password,
        groups: values.group ?? [],
        attributes: attributes(values.attr ?? []),
      },
      { pool: values.pool },
    );
    const groups = user.groups.length > 0 ? `, groups: ${user.groups.join(', ')}` : '';
    process.stdout.write(`Added "${user.username}" (sub ${user.sub}${groups}) to ${where}.\n`);
  } else if (action === 'remove') {
    const removed = await deleteUser(username, { pool: values.pool });
    process.stdout.write(removed ? `Removed "${username}" from ${where}.\n` : `No user "${username}" in ${where}; nothing to remove.\n`);
  } else {
    throw new UsageError(USAGE);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(error instanceof UsageError ? 2 : 1);
});
