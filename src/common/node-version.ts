/** The oldest Node.js the server runs on (package.json's `engines`): 22.12, the first 22 LTS with `require(esm)` unflagged. */
export const MINIMUM_NODE = { major: 22, minor: 12 } as const;

/** Why this Node.js cannot run the server (one line), or undefined when it can. */
export function unsupportedNode(version: string): string | undefined {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  if (major > MINIMUM_NODE.major || (major === MINIMUM_NODE.major && minor >= MINIMUM_NODE.minor)) return undefined;
  return `This server needs Node.js ${MINIMUM_NODE.major}.${MINIMUM_NODE.minor} or newer (22 LTS or 24 LTS); this is Node.js ${version.replace(/^v/, '')}.`;
}
