/**
 * The storage contract of the files area: file records and the file-access secret: part of
 * `describeStorageContract`, storage-agnostic like the rest of it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { FileCopy, FileRecord } from '../../../src/server/files/records.js';
import type { Storage } from '../../../src/server/storage/storage.js';

interface FileContractContext {
  readonly storage: Storage;
  openSameData(): Promise<Storage>;
}

export function describeFileContract(context: FileContractContext): void {
  describe('files', () => {
    let storage: Storage;
    let conversationId: string;
    beforeEach(async () => {
      storage = context.storage;
      conversationId = (
        await storage.conversations.write.ensureSingle({
          id: 'c-files',
          memberIds: ['alice', 'bob'],
          createdBy: 'alice',
          now: 2000,
        })
      ).id;
    });

    const record = (overrides: Partial<FileRecord> = {}): FileRecord => ({
      id: 'file-aaaaaaaaaaaaaaaaaa',
      conversationId,
      uploaderId: 'alice',
      name: 'cat.png',
      mime: 'image/png',
      size: 1234,
      width: 30,
      height: 20,
      durationMs: null,
      storageKey: 'blob-aaaaaaaaaaaaaaaaaa',
      createdAt: 5000,
      ...overrides,
    });

    it('stores records and reads them back, unknown ids as null', async () => {
      await storage.files.write.add(record());
      await storage.files.write.add(record({ id: 'file-bbbbbbbbbbbbbbbbbb', mime: 'text/plain', width: null, height: null }));
      expect(await storage.files.read.get('file-aaaaaaaaaaaaaaaaaa')).toEqual(record());
      expect(await storage.files.read.get('file-bbbbbbbbbbbbbbbbbb')).toMatchObject({ width: null, height: null });
      expect(await storage.files.read.get('file-nothing')).toBeNull();
    });

    it('keeps how long a video plays and its picture size, in forwarded copies too', async () => {
      const video = record({ mime: 'video/mp4', width: 1280, height: 720, durationMs: 61_500 });
      await storage.files.write.add(video);
      expect(await storage.files.read.get(video.id)).toEqual(video);
      const team = await teamChat();
      await storage.files.write.forward(video.id, copy({ conversationId: team }));
      expect(await storage.files.read.get('copy-aaaaaaaaaaaaaaaaaa')).toMatchObject({ durationMs: 61_500, width: 1280, height: 720 });
    });

    it('keeps the first record stored under an id', async () => {
      await storage.files.write.add(record());
      await storage.files.write.add(record({ name: 'other.png', uploaderId: 'bob' }));
      expect(await storage.files.read.get('file-aaaaaaaaaaaaaaaaaa')).toEqual(record());
    });

    it('refuses records of unknown conversations or users with not_found', async () => {
      await expect(storage.files.write.add(record({ conversationId: 'c-nowhere' }))).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(storage.files.write.add(record({ uploaderId: 'nobody' }))).rejects.toMatchObject({ code: 'not_found' });
      expect(await storage.files.read.get('file-aaaaaaaaaaaaaaaaaa')).toBeNull();
    });

    const sendFile = (file: FileRecord, clientId: string, createdAt = 6000) =>
      storage.messages.write.append({
        conversationId: file.conversationId,
        senderId: file.uploaderId,
        clientId,
        body: { type: 'file', file: { id: file.id, name: file.name, mime: file.mime, size: file.size } },
        createdAt,
      });
    const teamChat = async () =>
      (await storage.conversations.write.ensureSingle({ id: 'c-files-2', memberIds: ['bob', 'carol'], createdBy: 'bob', now: 2000 }))
        .id;
    const copy = (overrides: Partial<FileCopy> = {}): FileCopy => ({
      id: 'copy-aaaaaaaaaaaaaaaaaa',
      conversationId,
      uploaderId: 'bob',
      createdAt: 6000,
      ...overrides,
    });

    it('sends a message with a file only while its record exists', async () => {
      const file = record();
      await storage.files.write.add(file);
      await expect(sendFile(file, 'client-file-1')).resolves.toMatchObject({ duplicate: false });
      await expect(sendFile(record({ id: 'file-nothing' }), 'client-file-2')).rejects.toMatchObject({ code: 'not_found' });
      const { messages } = await storage.messages.read.history(conversationId, { limit: 10 });
      expect(messages.map((message) => message.clientId)).toEqual(['client-file-1']);
    });

    it('sends a history only while every file in it exists, at any level, and marks them all sent', async () => {
      const image = record({ id: 'file-image-aaaaaaaaaaaaa' });
      const inner = record({ id: 'file-inner-aaaaaaaaaaaaa', name: 'notes.txt', mime: 'text/plain' });
      for (const file of [image, inner]) await storage.files.write.add(file);
      const info = ({ id, name, mime, size }: FileRecord) => ({ id, name, mime, size });
      const history = (innerFile: FileRecord) => ({
        type: 'history' as const,
        from: { kind: 'single' as const, userIds: ['alice', 'bob'] as [string, string] },
        people: [{ id: 'alice', name: 'Alice', avatar: null }],
        items: [
          { senderId: 'alice', createdAt: 3000, body: { type: 'image' as const, file: info(image), width: 30, height: 20 } },
          {
            senderId: 'alice',
            createdAt: 3001,
            body: {
              type: 'history' as const,
              from: { kind: 'group' as const, name: 'Team' },
              people: [],
              items: [{ senderId: 'alice', createdAt: 2000, body: { type: 'file' as const, file: info(innerFile) } }],
            },
          },
        ],
      });
      const sendHistory = (innerFile: FileRecord, clientId: string) =>
        storage.messages.write.append({ conversationId, senderId: 'alice', clientId, body: history(innerFile), createdAt: 6000 });

      await expect(sendHistory(record({ id: 'file-nothing' }), 'client-history-1')).rejects.toMatchObject({ code: 'not_found' });
      await expect(sendHistory(inner, 'client-history-2')).resolves.toMatchObject({ duplicate: false });
      const { messages } = await storage.messages.read.history(conversationId, { limit: 10 });
      expect(messages.map((message) => [message.clientId, message.body])).toEqual([['client-history-2', history(inner)]]);
      expect(await storage.files.write.removeUnsent({ createdBefore: 8000, limit: 10 })).toEqual({ removed: 0, orphanedStorageKeys: [] });
    });

    it('forwards a copy sharing the bytes, once, and nothing from a missing source', async () => {
      await storage.files.write.add(record());
      const made = await storage.files.write.forward('file-aaaaaaaaaaaaaaaaaa', copy({ conversationId: await teamChat() }));
      expect(made).toEqual({ ...record(), id: 'copy-aaaaaaaaaaaaaaaaaa', conversationId: 'c-files-2', uploaderId: 'bob', createdAt: 6000 });
      expect(await storage.files.write.forward('file-aaaaaaaaaaaaaaaaaa', copy({ conversationId: 'c-files-2', createdAt: 7000 }))).toEqual(made);
      expect(await storage.files.write.forward('file-nothing', copy({ id: 'copy-bbbbbbbbbbbbbbbbbb' }))).toBeNull();
      expect(await storage.files.read.get('copy-bbbbbbbbbbbbbbbbbb')).toBeNull();
    });

    it('counts a user’s uploads, unsent ones apart, and not the copies they forwarded', async () => {
      expect(await storage.files.read.usage('alice')).toEqual({ bytes: 0, unsentBytes: 0 });
      await storage.files.write.add(record());
      await storage.files.write.add(record({ id: 'file-bbbbbbbbbbbbbbbbbb', size: 100, storageKey: 'blob-bbbbbbbbbbbbbbbbbb' }));
      await storage.files.write.forward('file-aaaaaaaaaaaaaaaaaa', copy());
      expect(await storage.files.read.usage('alice')).toEqual({ bytes: 1334, unsentBytes: 1334 });
      expect(await storage.files.read.usage('bob')).toEqual({ bytes: 0, unsentBytes: 0 });
      await sendFile(record(), 'client-file-1');
      expect(await storage.files.read.usage('alice')).toEqual({ bytes: 1334, unsentBytes: 100 });
    });

    it('removes old unsent records, each once, keeping the keys still in use', async () => {
      const sent = record({ id: 'file-sent-aaaaaaaaaaaaaa', storageKey: 'blob-sent-aaaaaaaaaaaaaa' });
      const shared = record({ id: 'file-shared-aaaaaaaaaaaa', storageKey: 'blob-shared-aaaaaaaaaaaa' });
      const lone = record({ id: 'file-lone-aaaaaaaaaaaaaa', storageKey: 'blob-lone-aaaaaaaaaaaaaa' });
      const recent = record({ id: 'file-recent-aaaaaaaaaaaa', storageKey: 'blob-recent-aaaaaaaaaaaa', createdAt: 9000 });
      for (const file of [sent, shared, lone, recent]) await storage.files.write.add(file);
      await sendFile(sent, 'client-file-1');
      const team = await teamChat();
      const forwarded = (await storage.files.write.forward(shared.id, copy({ conversationId: team })))!;
      await sendFile(forwarded, 'client-file-2');

      expect(await storage.files.write.removeUnsent({ createdBefore: 8000, limit: 1 })).toMatchObject({ removed: 1 });
      const second = await storage.files.write.removeUnsent({ createdBefore: 8000, limit: 10 });
      expect(second.removed).toBe(1);
      expect(await storage.files.write.removeUnsent({ createdBefore: 8000, limit: 10 })).toEqual({ removed: 0, orphanedStorageKeys: [] });
      for (const gone of [shared, lone]) expect(await storage.files.read.get(gone.id)).toBeNull();
      for (const kept of [sent, recent, forwarded]) expect(await storage.files.read.get(kept.id)).not.toBeNull();
      await expect(sendFile(lone, 'client-file-3')).rejects.toMatchObject({ code: 'not_found' });
      expect(await storage.files.write.forward(lone.id, copy({ id: 'copy-bbbbbbbbbbbbbbbbbb', conversationId: team }))).toBeNull();
    });

    it('hands each key of removed records to one of several processes removing at once', async () => {
      const other = await context.openSameData();
      const keys = Array.from({ length: 30 }, (_, index) => `blob-many-${String(index).padStart(12, '0')}`);
      for (const [index, storageKey] of keys.entries()) {
        await storage.files.write.add(record({ id: `file-many-${String(index).padStart(12, '0')}`, storageKey }));
      }
      const results = await Promise.all(
        [storage, other, storage, other].map((each) => each.files.write.removeUnsent({ createdBefore: 8000, limit: 10 })),
      );
      const rest = await storage.files.write.removeUnsent({ createdBefore: 8000, limit: 100 });
      const handed = [...results, rest].flatMap((result) => result.orphanedStorageKeys);
      expect(handed.sort()).toEqual(keys);
      expect([...results, rest].reduce((sum, result) => sum + result.removed, 0)).toBe(30);
    });

    it('never hands out the key of a file sent or forwarded while it is being removed', async () => {
      const other = await context.openSameData();
      const team = await teamChat();
      for (let round = 0; round < 5; round++) {
        const sent = record({ id: `file-race-sent-${round}-aaaaaaaa`, storageKey: `blob-race-sent-${round}-aaaaaaaa` });
        const source = record({ id: `file-race-fwd-${round}-aaaaaaaaa`, storageKey: `blob-race-fwd-${round}-aaaaaaaaa` });
        await storage.files.write.add(sent);
        await storage.files.write.add(source);
        const [sending, forwarding, removal] = await Promise.allSettled([
          sendFile(sent, `client-race-${round}`),
          // A copy made now: not old enough to be removed itself.
          other.files.write.forward(
            source.id,
            copy({ id: `copy-race-${round}-aaaaaaaaaaaaa`, conversationId: team, createdAt: 9000 }),
          ),
          storage.files.write.removeUnsent({ createdBefore: 8000, limit: 10 }),
        ]);
        if (removal.status !== 'fulfilled') throw removal.reason;
        const orphaned = removal.value.orphanedStorageKeys;
        // Sent: the record stays and its bytes too. Refused: it was removed first.
        if (sending.status === 'fulfilled') expect(orphaned).not.toContain(sent.storageKey);
        else expect(sending.reason).toMatchObject({ code: 'not_found' });
        if (forwarding.status !== 'fulfilled') throw forwarding.reason;
        expect(forwarding.value === null).toBe(orphaned.includes(source.storageKey));
        await storage.files.write.removeUnsent({ createdBefore: 8000, limit: 10 });
      }
    });

    it('keeps one random file-access secret across reopening', async () => {
      const secret = await storage.files.write.accessSecret();
      expect(secret.byteLength).toBe(32);
      expect(await storage.files.write.accessSecret()).toEqual(secret);
      const reopened = await context.openSameData();
      expect(await reopened.files.write.accessSecret()).toEqual(secret);
    });
  });
}
