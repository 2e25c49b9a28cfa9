import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { RevokedSessions, SESSION_SWEEP_MS } from './revoked-sessions.js';

const START = Date.UTC(2026, 0, 1);
const seconds = (ms: number) => Math.floor(ms / 1000);

describe(RevokedSessions.name, () => {
  let query: jest.Mock<(sql: string, parameters?: unknown[]) => Promise<unknown>>;
  let sut: RevokedSessions;

  beforeEach(() => {
    jest.useFakeTimers({ now: START });
    query = jest.fn(() => Promise.resolve([]));
    sut = new RevokedSessions({ query } as unknown as DataSource);
  });
  afterEach(() => {
    sut.onApplicationShutdown();
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  const deletes = () => query.mock.calls.filter(([sql]) => sql.startsWith('DELETE')).length;

  it('refuses a session until its last token has expired, then forgets it here and in the table', async () => {
    await sut.revoke('default', 'short', seconds(START) + 60);
    await sut.revoke('default', 'long', seconds(START) + 3600);
    expect([sut.isRevoked('default', 'short'), sut.isRevoked('default', 'long'), sut.size]).toEqual([true, true, 2]);

    await jest.advanceTimersByTimeAsync(60_000);
    expect([sut.isRevoked('default', 'short'), sut.isRevoked('default', 'long')]).toEqual([false, true]);

    // The sweep drops what expired from memory, and asks the table to drop it on every instance's behalf.
    await jest.advanceTimersByTimeAsync(SESSION_SWEEP_MS - 60_000);
    expect(sut.size).toBe(1);
    expect(deletes()).toBe(1);
    expect(query.mock.calls.find(([sql]) => sql.startsWith('DELETE'))![0]).toMatch(/WHERE expires_at <= now\(\)/);

    await jest.advanceTimersByTimeAsync(3600_000);
    expect([sut.isRevoked('default', 'long'), sut.size]).toEqual([false, 0]);
    expect(deletes()).toBeGreaterThan(1);
  });

  it('keeps the latest expiry a session is known by, whichever instance heard it first', async () => {
    await sut.revoke('default', 's', seconds(START) + 600);
    sut.heard(`${seconds(START) + 60} default s`);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(sut.isRevoked('default', 's')).toBe(true);
    sut.heard(`${seconds(START) + 1200} default s`);
    await jest.advanceTimersByTimeAsync(600_000);
    expect(sut.isRevoked('default', 's')).toBe(true);
    await jest.advanceTimersByTimeAsync(480_000);
    expect(sut.isRevoked('default', 's')).toBe(false);
  });

  it('never holds a session already expired, from a notification or the table', async () => {
    sut.heard(`${seconds(START) - 1} default gone`);
    query.mockResolvedValueOnce([
      { pool: 'default', session_id: 'expired', expires_at: new Date(START - 1000) },
      { pool: 'default', session_id: 'current', expires_at: new Date(START + 60_000) },
    ]);
    await sut.reload();
    expect([sut.isRevoked('default', 'gone'), sut.isRevoked('default', 'expired'), sut.isRevoked('default', 'current'), sut.size]).toEqual([
      false,
      false,
      true,
      1,
    ]);
  });

  it('tells the sessions of two pools apart, however they were heard of', async () => {
    await sut.revoke('staff', 'same', seconds(START) + 600);
    expect([sut.isRevoked('staff', 'same'), sut.isRevoked('default', 'same')]).toEqual([true, false]);
    sut.heard(`${seconds(START) + 600} partners other session`);
    expect([sut.isRevoked('partners', 'other session'), sut.isRevoked('default', 'other session')]).toEqual([true, false]);
    query.mockResolvedValueOnce([{ pool: 'default', session_id: 'same', expires_at: new Date(START + 60_000) }]);
    await sut.reload();
    expect(sut.isRevoked('default', 'same')).toBe(true);
    expect(query.mock.calls.find(([sql]) => sql.startsWith('INSERT'))![1]).toEqual([
      'staff',
      'same',
      new Date((seconds(START) + 600) * 1000),
    ]);
  });

  it('keeps sweeping when the table cannot be reached', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    query.mockRejectedValue(new Error('connection refused'));
    await expect(sut.revoke('default', 's', seconds(START) + 60)).rejects.toThrow('connection refused');
    await jest.advanceTimersByTimeAsync(SESSION_SWEEP_MS);
    expect(sut.size).toBe(0);
    await jest.advanceTimersByTimeAsync(SESSION_SWEEP_MS);
    expect(deletes()).toBe(2);
  });
});
