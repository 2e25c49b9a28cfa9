import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox, OUTBOX_LIMIT } from './outbox.js';

describe(Outbox.name, () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'outbox-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const message = (username: string, code: string) => ({
    username,
    destination: `${username}@example.com`,
    kind: 'sign-up' as const,
    code,
  });

  it('lists newest first, per user, prints one line each, and keeps them across a restart', () => {
    const lines: string[] = [];
    const sut = new Outbox(join(dir, 'outbox.json'), (line) => lines.push(line));
    sut.send(message('bob', '111111'));
    sut.send(message('eve', '222222'));
    sut.send(message('bob', '333333'));

    expect(sut.list('bob').map((m) => m.code)).toEqual(['333333', '111111']);
    expect(lines).toEqual([
      expect.stringContaining('sign-up code 111111 for bob to bob@example.com'),
      expect.any(String),
      expect.any(String),
    ]);
    expect(new Outbox(join(dir, 'outbox.json')).list().map((m) => m.code)).toEqual(['333333', '222222', '111111']);
  });

  it(`keeps the newest ${OUTBOX_LIMIT} messages only`, () => {
    const sut = new Outbox(join(dir, 'outbox.json'));
    for (let n = 0; n <= OUTBOX_LIMIT; n++) sut.send(message('bob', String(n)));
    expect(sut.list()).toHaveLength(OUTBOX_LIMIT);
    expect(sut.list()[0].code).toBe(String(OUTBOX_LIMIT));
  });
});
