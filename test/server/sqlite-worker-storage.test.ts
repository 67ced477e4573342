import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSqliteWorkerStorage } from '../../src/server/storage/sqlite/worker/sqlite-worker-storage.js';
import { createTempDir } from '../support/node/temp-dir.js';
import { describeStorageContract, storageFixture } from './storage-contract.js';

describeStorageContract('SqliteStorage on a worker thread', async () => {
  const dir = await createTempDir();
  const filename = join(dir.path, 'im-chat.sqlite');
  return storageFixture(() => openSqliteWorkerStorage({ filename }), () => dir.remove());
});

describe('SqliteStorage on a worker thread', () => {
  const user = (id: string) => ({ id, name: id, avatar: null });

  it('commits what was accepted before it closes, and refuses calls after', async () => {
    const dir = await createTempDir();
    const filename = join(dir.path, 'im-chat.sqlite');
    try {
      const storage = openSqliteWorkerStorage({ filename, countStatements: true });
      await storage.migrate();
      await storage.accounts.write.upsertUser(user('ann'), 1);
      await storage.accounts.write.upsertUser(user('ben'), 1);
      const { id } = await storage.conversations.write.ensureSingle({ id: 's-ann-ben', memberIds: ['ann', 'ben'], createdBy: 'ann', now: 1 });
      const sends = Array.from({ length: 20 }, (_, i) =>
        storage.messages.write.append({ conversationId: id, senderId: 'ann', clientId: `c${i}`, body: { type: 'text', text: `hi ${i}` }, createdAt: 2 + i }),
      );
      const closed = storage.close();
      expect((await Promise.all(sends)).map(({ message }) => message.seq)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      await closed;
      expect(storage.statementCount().transactions).toBeGreaterThan(0);
      await expect(storage.conversations.read.get(id)).rejects.toMatchObject({ code: 'unavailable' });

      const reopened = openSqliteWorkerStorage({ filename });
      await reopened.migrate();
      expect((await reopened.conversations.read.get(id))?.lastSeq).toBe(20);
      await reopened.close();
    } finally {
      await dir.remove();
    }
  });

  it('keeps the code of a command error and the message of any other', async () => {
    const dir = await createTempDir();
    const storage = openSqliteWorkerStorage({ filename: join(dir.path, 'im-chat.sqlite') });
    try {
      await storage.migrate();
      await storage.accounts.write.upsertUser(user('ann'), 1);
      await expect(
        storage.messages.write.append({ conversationId: 'nowhere', senderId: 'ann', clientId: 'x', body: { type: 'text', text: 'hi' }, createdAt: 1 }),
      ).rejects.toMatchObject({ name: 'CommandError', code: 'not_found' });
      await expect(storage.presence.write.setLastSeen((() => 'ann') as never, 1)).rejects.toThrow(/could not be cloned/);
    } finally {
      await storage.close();
      await dir.remove();
    }
  });

  it('fails with unavailable, not a hang, when its database cannot be opened', async () => {
    const failures: Error[] = [];
    const storage = openSqliteWorkerStorage({
      filename: '/nonexistent-dir/im-chat.sqlite',
      onFailure: (error) => failures.push(error),
    });
    await expect(storage.migrate()).rejects.toMatchObject({ code: 'unavailable', message: /directory does not exist/ });
    await expect(storage.accounts.read.users(['ann'])).rejects.toMatchObject({ code: 'unavailable' });
    expect(failures.map((error) => error.message)).toEqual([expect.stringMatching(/directory does not exist/)]);
    await storage.close();
  });
});
