import { describe } from 'vitest';
import { PostgresStorage } from '../../src/server/storage/postgres/postgres-storage.js';
import { createTestSchema, databaseUrl, probeServices } from '../support/node/services.js';
import { describeStorageContract, storageFixture } from './storage-contract.js';

const postgres = await probeServices(['postgres']);

describe.skipIf(!postgres.available)('on PostgreSQL', () => {
  describeStorageContract('PostgresStorage', async () => {
    const { schema, drop } = await createTestSchema();
    return storageFixture(() => new PostgresStorage({ connectionString: databaseUrl, schema }), drop);
  });
});
