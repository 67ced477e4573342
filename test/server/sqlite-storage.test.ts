import { join } from 'node:path';
import { SqliteStorage } from '../../src/server/storage/sqlite/sqlite-storage.js';
import { createTempDir } from '../support/node/temp-dir.js';
import { describeStorageContract } from './storage-contract.js';

describeStorageContract('SqliteStorage', async () => {
  const dir = await createTempDir();
  const filename = join(dir.path, 'im-chat.sqlite');
  const opened: SqliteStorage[] = [];
  const open = async () => {
    const storage = new SqliteStorage({ filename });
    opened.push(storage);
    await storage.migrate();
    return storage;
  };
  return {
    storage: await open(),
    openSameData: open,
    cleanup: async () => {
      for (const storage of opened) await storage.close();
      await dir.remove();
    },
  };
});
