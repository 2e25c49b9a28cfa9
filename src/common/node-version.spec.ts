import { MINIMUM_NODE, unsupportedNode } from './node-version.js';

describe(unsupportedNode.name, () => {
  it.each(['22.12.0', '22.23.3', '23.0.0', '24.0.0', '24.11.1', '25.2.0', 'v24.1.0'])('lets Node.js %s run the server', (version) => {
    expect(unsupportedNode(version)).toBeUndefined();
  });

  it.each(['22.11.0', '22.0.0', '20.20.2', '20.19.5', '18.20.8', '16.0.0', 'v21.7.3'])(
    'refuses Node.js %s in one line naming both versions',
    (version) => {
      const sut = unsupportedNode(version)!;
      expect(sut).toBe(`This server needs Node.js 22.12 or newer (22 LTS or 24 LTS); this is Node.js ${version.replace(/^v/, '')}.`);
      expect(sut).not.toContain('\n');
    },
  );

  it('asks for the version package.json asks for', async () => {
    const { readFile } = await import('node:fs/promises');
    const { engines } = JSON.parse(await readFile('package.json', 'utf8')) as { engines: { node: string } };
    expect(engines.node).toContain(`^${MINIMUM_NODE.major}.${MINIMUM_NODE.minor}`);
  });
});
