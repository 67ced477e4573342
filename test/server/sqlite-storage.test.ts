import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/server/storage/sqlite/migrations.js';
import { SqliteStorage } from '../../src/server/storage/sqlite/sqlite-storage.js';
import { createTempDir } from '../support/node/temp-dir.js';
import { describeStorageContract, storageFixture } from './storage-contract.js';

describeStorageContract('SqliteStorage', async () => {
  const dir = await createTempDir();
  const filename = join(dir.path, 'im-chat.sqlite');
  return storageFixture(() => new SqliteStorage({ filename }), () => dir.remove());
});

describe('SqliteStorage migrations', () => {
  it('upgrades a database of the first schema, keeping its chats and their foreign keys', async () => {
    const dir = await createTempDir();
    const filename = join(dir.path, 'im-chat.sqlite');
    const old = new Database(filename);
    try {
      applyMigrations(old, 1);
      old.exec(`
        INSERT INTO users (id, name, avatar, created_at, updated_at) VALUES
          ('alice', 'Alice', NULL, 1, 1), ('bob', 'Bob', NULL, 1, 1);
        INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version)
          VALUES ('s_ab', 'single', 'alice', 10, 2, 30, 3);
        INSERT INTO conversation_members (conversation_id, user_id, read_seq, version) VALUES
          ('s_ab', 'alice', 2, 1), ('s_ab', 'bob', 1, 2);
        INSERT INTO messages (conversation_id, seq, id, sender_id, client_id, body, created_at) VALUES
          ('s_ab', 1, 'm1', 'alice', 'client-1', '{"type":"text","text":"one"}', 20),
          ('s_ab', 2, 'm2', 'alice', 'client-2', '{"type":"text","text":"two"}', 30);
      `);
    } finally {
      old.close();
    }

    const storage = new SqliteStorage({ filename });
    try {
      await storage.migrate();
      expect(await storage.conversations.read.view('s_ab', 'bob')).toEqual({
        id: 's_ab',
        type: 'single',
        peerId: 'alice',
        lastSeq: 2,
        readSeq: 1,
        unreadCount: 1,
        lastMessage: {
          id: 'm2',
          conversationId: 's_ab',
          seq: 2,
          senderId: 'alice',
          clientId: 'client-2',
          body: { type: 'text', text: 'two' },
          createdAt: 30,
        },
        createdAt: 10,
        updatedAt: 30,
        pinnedAt: null,
        notificationsMuted: false,
        hidden: false,
        markedUnread: false,
      });
      expect((await storage.groups.read.getConversationAccess('s_ab'))?.members).toHaveLength(2);
      const { message } = await storage.messages.write.append({
        conversationId: 's_ab',
        senderId: 'bob',
        clientId: 'client-3',
        body: { type: 'text', text: 'three' },
        createdAt: 40,
      });
      expect(message.seq).toBe(3);
      // The rebuilt table still takes groups, and foreign keys still hold.
      await storage.groups.write.createGroup({
        id: 'g_new',
        ownerId: 'alice',
        name: 'After the upgrade',
        avatar: null,
        description: '',
        memberIds: ['bob'],
        now: 50,
      });
      await expect(
        storage.messages.write.append({
          conversationId: 's_ab',
          senderId: 'nobody',
          clientId: 'client-4',
          body: { type: 'text', text: 'who?' },
          createdAt: 60,
        }),
      ).rejects.toBeDefined();
      const check = new Database(filename, { readonly: true });
      try {
        expect(check.pragma('foreign_key_check')).toEqual([]);
        expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        check.close();
      }
    } finally {
      await storage.close();
      await dir.remove();
    }
  });
});

describe('SqliteStorage migration 7', () => {
  it('takes no file stored before it for an unsent upload: old messages may carry any of them', async () => {
    const dir = await createTempDir();
    const filename = join(dir.path, 'im-chat.sqlite');
    const old = new Database(filename);
    try {
      applyMigrations(old, 6);
      old.exec(`
        INSERT INTO users (id, name, avatar, created_at, updated_at) VALUES ('alice', 'Alice', NULL, 1, 1);
        INSERT INTO conversations (id, type, created_by, created_at, last_seq, updated_at, version)
          VALUES ('g_old', 'group', 'alice', 10, 0, 10, 1);
        INSERT INTO files (id, conversation_id, uploader_id, name, mime, size, width, height, storage_key, created_at)
          VALUES ('file-old-aaaaaaaaaaaaaa', 'g_old', 'alice', 'old.txt', 'text/plain', 42, NULL, NULL,
            'blob-old-aaaaaaaaaaaaaa', 20);
      `);
    } finally {
      old.close();
    }
    const storage = new SqliteStorage({ filename });
    try {
      await storage.migrate();
      expect(await storage.files.write.removeUnsent({ createdBefore: Date.now(), limit: 10 })).toEqual({
        removed: 0,
        orphanedStorageKeys: [],
      });
      expect(await storage.files.read.usage('alice')).toEqual({ bytes: 42, unsentBytes: 0 });
    } finally {
      await storage.close();
      await dir.remove();
    }
  });
});
