import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatorState } from './emulator-state.js';

describe(EmulatorState.name, () => {
  let dir: string;
  const clients = (ids: string[]) =>
    JSON.stringify({ Clients: Object.fromEntries(ids.map((id) => [id, { ClientId: id, UserPoolId: 'p' }])) });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'emulator-state-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers from the file as the emulator last wrote it', () => {
    const sut = new EmulatorState(dir);
    writeFileSync(join(dir, 'clients.json'), clients(['web']));
    expect(sut.client('web')?.ClientId).toBe('web');
    writeFileSync(join(dir, 'clients.json'), clients(['web', 'spa']));
    expect(sut.client('spa')?.ClientId).toBe('spa');
  });

  it('answers with the last complete content while a write leaves the file truncated or half-written', () => {
    const sut = new EmulatorState(dir);
    writeFileSync(join(dir, 'clients.json'), clients(['web']));
    expect(sut.client('web')).toBeDefined();
    for (const torn of ['', clients(['web', 'spa']).slice(0, 20)]) {
      writeFileSync(join(dir, 'clients.json'), torn);
      expect(sut.client('web')?.ClientId).toBe('web');
    }
  });

  it('knows nothing of a file the emulator has not written yet', () => {
    expect(new EmulatorState(dir).client('web')).toBeUndefined();
  });
});
