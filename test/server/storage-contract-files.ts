/**
 * The storage contract for file records and the file-access secret: part of
 * `describeStorageContract`, storage-agnostic like the rest of it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { FileRecord } from '../../src/server/storage/file-storage.js';
import type { Storage } from '../../src/server/storage/storage.js';

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
        await storage.ensureSingleConversation({
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
      storageKey: 'blob-aaaaaaaaaaaaaaaaaa',
      createdAt: 5000,
      ...overrides,
    });

    it('stores records and reads them back, unknown ids as null', async () => {
      await storage.addFile(record());
      await storage.addFile(record({ id: 'file-bbbbbbbbbbbbbbbbbb', mime: 'text/plain', width: null, height: null }));
      expect(await storage.getFile('file-aaaaaaaaaaaaaaaaaa')).toEqual(record());
      expect(await storage.getFile('file-bbbbbbbbbbbbbbbbbb')).toMatchObject({ width: null, height: null });
      expect(await storage.getFile('file-nothing')).toBeNull();
    });

    it('keeps the first record stored under an id', async () => {
      await storage.addFile(record());
      await storage.addFile(record({ name: 'other.png', uploaderId: 'bob' }));
      expect(await storage.getFile('file-aaaaaaaaaaaaaaaaaa')).toEqual(record());
    });

    it('refuses records of unknown conversations or users with not_found', async () => {
      await expect(storage.addFile(record({ conversationId: 'c-nowhere' }))).rejects.toMatchObject({
        code: 'not_found',
      });
      await expect(storage.addFile(record({ uploaderId: 'nobody' }))).rejects.toMatchObject({ code: 'not_found' });
      expect(await storage.getFile('file-aaaaaaaaaaaaaaaaaa')).toBeNull();
    });

    it('keeps one random file-access secret across reopening', async () => {
      const secret = await storage.fileAccessSecret();
      expect(secret.byteLength).toBe(32);
      expect(await storage.fileAccessSecret()).toEqual(secret);
      const reopened = await context.openSameData();
      expect(await reopened.fileAccessSecret()).toEqual(secret);
    });
  });
}
