/**
 * The storage contract of the idempotency area: the admin API's keys. Part of
 * `describeStorageContract`.
 */
import { describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/server/storage/storage.js';

interface ContractContext {
  readonly storage: Storage;
  openSameData(): Promise<Storage>;
}

export function describeIdempotencyContract(context: ContractContext): void {
  describe('idempotency keys', () => {
    const request = (fingerprint = 'f1', now = 1000) => ({ scope: 'key:a', key: 'k1', fingerprint, now, staleBefore: now - 60_000 });

    it('claims a key once, keeps its answer, and tells another request apart', async () => {
      const { storage } = context;
      expect(await storage.idempotency.write.claim(request())).toEqual({ state: 'claimed' });
      expect(await storage.idempotency.write.claim(request())).toEqual({ state: 'in_progress' });
      await storage.idempotency.write.finish({ scope: 'key:a', key: 'k1', status: 201, body: '{"a":1}' });
      const reopened = await context.openSameData();
      expect(await reopened.idempotency.write.claim(request())).toEqual({ state: 'answered', status: 201, body: '{"a":1}' });
      expect(await storage.idempotency.write.claim(request('f2'))).toEqual({ state: 'mismatch' });
      expect(await storage.idempotency.write.claim({ ...request(), scope: 'key:b' })).toEqual({ state: 'claimed' });
    });

    it('lets a released or abandoned claim be taken again, and forgets old keys', async () => {
      const { storage } = context;
      await storage.idempotency.write.claim(request());
      await storage.idempotency.write.release({ scope: 'key:a', key: 'k1' });
      expect(await storage.idempotency.write.claim(request())).toEqual({ state: 'claimed' });
      expect(await storage.idempotency.write.claim(request('f1', 1000 + 120_000))).toEqual({ state: 'claimed' });
      await storage.idempotency.write.finish({ scope: 'key:a', key: 'k1', status: 200, body: '' });
      await storage.idempotency.write.prune(1000 + 120_001);
      expect(await storage.idempotency.write.claim(request('f3', 500_000))).toEqual({ state: 'claimed' });
    });
  });
}
