import { describe, expect, it } from 'vitest';
import { decideUploadRoom } from '../../../src/server/files/upload-quota.js';

const options = { quotaBytes: 1000, unsentMaxBytes: 300 };

describe('decideUploadRoom', () => {
  it('lets an upload in while both quotas have room for it', () => {
    expect(decideUploadRoom({ bytes: 500, unsentBytes: 100 }, options, 200)).toMatchObject({ ok: true, writes: [] });
    expect(decideUploadRoom({ bytes: 800, unsentBytes: 100 }, options, 200)).toMatchObject({ ok: true });
  });

  it('refuses what would pass the total quota', () => {
    expect(decideUploadRoom({ bytes: 900, unsentBytes: 0 }, options, 101)).toMatchObject({
      ok: false,
      error: { code: 'quota_exceeded', message: expect.stringMatching(/1000 bytes per user/) },
    });
  });

  it('refuses what would leave too much unsent', () => {
    expect(decideUploadRoom({ bytes: 300, unsentBytes: 250 }, options, 51)).toMatchObject({
      ok: false,
      error: { code: 'quota_exceeded', message: expect.stringMatching(/send them first/) },
    });
  });

  it('defaults to 1 GiB in all and 100 MiB unsent', () => {
    expect(decideUploadRoom({ bytes: 0, unsentBytes: 100 * 1024 ** 2 }, {}, 1)).toMatchObject({ ok: false });
    expect(decideUploadRoom({ bytes: 1024 ** 3 - 1, unsentBytes: 0 }, {}, 1)).toMatchObject({ ok: true });
  });
});
