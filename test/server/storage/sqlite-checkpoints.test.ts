import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { idleCheckpointMs } from '../../../src/server/storage/sqlite/checkpoints.js';
import { SqliteStorage } from '../../../src/server/storage/sqlite/sqlite-storage.js';
import { openSqliteWorkerStorage } from '../../../src/server/storage/sqlite/worker/sqlite-worker-storage.js';
import type { Storage } from '../../../src/server/storage/storage.js';
import { createTempDir } from '../../support/node/temp-dir.js';

const logSize = (filename: string) => (existsSync(`${filename}-wal`) ? statSync(`${filename}-wal`).size : 0);

async function sendSome(storage: Storage, from: number, count: number) {
  const sends = Array.from({ length: count }, (_, i) =>
    storage.messages.write.append({
      conversationId: 's-ann-ben',
      senderId: 'ann',
      clientId: `c${from + i}`,
      body: { type: 'text', text: `message number ${from + i}` },
      createdAt: 10 + from + i,
    }),
  );
  return (await Promise.all(sends)).map(({ message }) => message.seq);
}

describe.each([
  ['SqliteStorage', (filename: string) => new SqliteStorage({ filename })],
  ['SqliteStorage on a worker thread', (filename: string) => openSqliteWorkerStorage({ filename })],
])('%s: the write-ahead log', (_, open) => {
  it('is copied into the database and emptied once writes pause, and the chat goes on', async () => {
    const dir = await createTempDir();
    const filename = join(dir.path, 'im-chat.sqlite');
    const storage = open(filename);
    try {
      await storage.migrate();
      for (const id of ['ann', 'ben']) await storage.accounts.write.upsertUser({ id, name: id, avatar: null }, 1);
      await storage.conversations.write.ensureSingle({ id: 's-ann-ben', memberIds: ['ann', 'ben'], createdBy: 'ann', now: 1 });
      expect(await sendSome(storage, 1, 50)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(logSize(filename)).toBeGreaterThan(0);

      await vi.waitFor(() => expect(logSize(filename)).toBe(0), { timeout: 4 * idleCheckpointMs, interval: 100 });

      expect(await sendSome(storage, 51, 5)).toEqual([51, 52, 53, 54, 55]);
      const page = await storage.messages.read.history('s-ann-ben', { limit: 100 });
      expect(page.messages.map((message) => message.seq)).toEqual(Array.from({ length: 55 }, (_, i) => i + 1));
      const found = await storage.search.read.messages('ben', { query: 'number 4', limit: 20 });
      expect(found.messages.map((message) => message.seq)).toEqual([49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 4]);
    } finally {
      await storage.close();
      await dir.remove();
    }
  });
});
