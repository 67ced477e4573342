import { describe } from 'vitest';
import { PostgresStorage } from '../../src/server/storage/postgres/postgres-storage.js';
import { createTestSchema, databaseUrl, probeServices } from '../support/node/services.js';
import { describeStorageContract } from './storage-contract.js';

const postgres = await probeServices(['postgres']);

describe.skipIf(!postgres.available)('on PostgreSQL', () => {
  describeStorageContract('PostgresStorage', async () => {
    const { schema, drop } = await createTestSchema();
    const opened: PostgresStorage[] = [];
    const open = async () => {
      const storage = new PostgresStorage({ connectionString: databaseUrl, schema });
      opened.push(storage);
      await storage.migrate();
      return storage;
    };
    return {
      storage: await open(),
      openSameData: open,
      cleanup: async () => {
        for (const storage of opened) await storage.close();
        await drop();
      },
    };
  });
});
