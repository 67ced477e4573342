import { join } from 'node:path';
import { expect, it } from 'vitest';
import { openSqliteWorkerStorage } from '../../../src/server/storage/sqlite/worker/sqlite-worker-storage.js';
import { createTempDir } from '../../support/node/temp-dir.js';

it('answers an append on the worker with the message as stored, a reply and a retry included', async () => {
  const dir = await createTempDir();
  const storage = openSqliteWorkerStorage({ filename: join(dir.path, 'im-chat.sqlite') });
  try {
    await storage.migrate();
    for (const id of ['ann', 'ben']) await storage.accounts.write.upsertUser({ id, name: id, avatar: null }, 1);
    const { id } = await storage.conversations.write.ensureSingle({ id: 's-ann-ben', memberIds: ['ann', 'ben'], createdBy: 'ann', now: 1 });
    const first = await storage.messages.write.append({
      conversationId: id, senderId: 'ann', clientId: 'c1', body: { type: 'text', text: 'Lunch? 🍜', mentions: ['ben'] }, createdAt: 10,
    });
    const [reply, retry] = await Promise.all([
      storage.messages.write.append({
        conversationId: id, senderId: 'ben', clientId: 'c2', body: { type: 'text', text: 'Yes' }, createdAt: 20,
        replyTo: { seq: 1, senderId: 'ann', type: 'text', excerpt: 'Lunch? 🍜' },
      }),
      storage.messages.write.append({ conversationId: id, senderId: 'ann', clientId: 'c1', body: { type: 'text', text: 'other' }, createdAt: 30 }),
    ]);
    const stored = (await storage.messages.read.history(id, { limit: 10 })).messages;
    expect(stored).toEqual([first.message, reply.message]);
    expect(reply).toMatchObject({ duplicate: false, message: { seq: 2, replyTo: { seq: 1, excerpt: 'Lunch? 🍜' } } });
    expect(retry).toEqual({ message: first.message, duplicate: true });
    await expect(
      storage.messages.write.append({ conversationId: id, senderId: 'eve', clientId: 'c3', body: { type: 'text', text: 'hi' }, createdAt: 40 }),
    ).rejects.toMatchObject({ code: 'not_found' });
  } finally {
    await storage.close();
    await dir.remove();
  }
});
