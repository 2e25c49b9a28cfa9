import { AdminInitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient } from '../local/local-pool.js';
import { readStackInfo } from '../local/local-stack.js';

/** `npm run token -- <username>`: prints the user's access token, and nothing else, on stdout. */
async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const username = process.argv[2];
  if (!username || username.startsWith('-')) {
    throw new Error('Usage: npm run token -- <username>');
  }
  const stack = readStackInfo();
  const user = stack.users.find((candidate) => candidate.username === username);
  if (!user) {
    throw new Error(`Unknown local user "${username}"; the local pool has: ${stack.users.map((u) => u.username).join(', ')}`);
  }
  const cognito = emulatorClient(stack.endpoint);
  try {
    const result = await cognito.send(
      new AdminInitiateAuthCommand({
        UserPoolId: stack.userPoolId,
        ClientId: stack.backendClientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: user.username, PASSWORD: user.password },
      }),
    );
    const token = result.AuthenticationResult?.AccessToken;
    if (!token) throw new Error(`Cognito asked for a challenge (${result.ChallengeName ?? 'unknown'}) instead of issuing tokens`);
    process.stdout.write(`${token}\n`);
  } finally {
    cognito.destroy();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  const unreachable = /ECONNREFUSED|fetch failed/.test(message);
  console.error(unreachable ? 'The local Cognito emulator is not running: start the stack with `npm start`.' : message);
  process.exit(1);
});
