import { describe, expect, it } from 'vitest';
import { limits } from '../../src/protocol/limits.js';
import { Id } from '../../src/protocol/schemas.js';
import { ConfigError, readConfig } from '../../src/server/config.js';
import { singleConversationId } from '../../src/server/conversation-id.js';
import { newGroupId, newInviteCode } from '../../src/server/groups/ids.js';
import { KeyedRateLimit, TokenBucket } from '../../src/server/rate-limit.js';

describe('TokenBucket', () => {
  it('allows a burst, then refills at the configured rate', () => {
    let now = 1_000_000;
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 2 }, { now: () => now });
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(500);
    now += 250;
    expect(bucket.take()).toBe(250);
    now += 250;
    expect(bucket.take()).toBe(0);
    now += 60_000;
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0, 500]);
  });
});

describe('singleConversationId', () => {
  it('is the same whoever starts, different per pair, and a valid Id', () => {
    const id = singleConversationId('alice', 'bob');
    expect(singleConversationId('bob', 'alice')).toBe(id);
    expect(singleConversationId('alice', 'carol')).not.toBe(id);
    // The separator, which ids cannot contain, keeps ('ab', 'c') and ('a', 'bc') apart.
    expect(singleConversationId('ab', 'c')).not.toBe(singleConversationId('a', 'bc'));
    expect(id).toMatch(/^s_[A-Za-z0-9_-]{22}$/);
    expect(Id.safeParse(id).success).toBe(true);
  });
});

describe('readConfig', () => {
  const secret = 'k'.repeat(32);

  it('reads the environment with defaults', () => {
    const config = readConfig({ IM_JWT_SECRET: secret }, []);
    expect(config).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      demo: false,
      jwksUrl: null,
      allowedOrigins: [],
      logLevel: 'warn',
      fileMaxBytes: 20 * 1024 * 1024,
      fileTypes: null,
      database: null,
      redis: null,
      clockToleranceSeconds: 30,
      adminApiKeys: [],
      adminHmacSecret: undefined,
    });
    const admin = readConfig(
      { IM_JWT_SECRET: secret, IM_ADMIN_API_KEYS: ` ${'a'.repeat(32)}, ${'b'.repeat(40)} `, IM_JWT_CLOCK_TOLERANCE: '5' },
      [],
    );
    expect(admin).toMatchObject({ adminApiKeys: ['a'.repeat(32), 'b'.repeat(40)], clockToleranceSeconds: 5 });
    expect(config.dataDir).toMatch(/data$/);
    expect(readConfig({ PORT: '8080', IM_DEMO: '1' }, []).port).toBe(8080);
    expect(readConfig({ PORT: '8080', IM_PORT: '0' }, ['--demo']).port).toBe(0);
  });

  it('binds the demo, which hands out tokens to anyone, to this machine unless IM_HOST says otherwise', () => {
    expect(readConfig({}, ['--demo']).host).toBe('127.0.0.1');
    expect(readConfig({ IM_DEMO: '1' }, []).host).toBe('127.0.0.1');
    expect(readConfig({ IM_DEMO: '1', IM_HOST: '0.0.0.0' }, []).host).toBe('0.0.0.0');
    expect(readConfig({ IM_JWT_SECRET: secret }, []).host).toBe('0.0.0.0');
  });

  it('normalizes origins and accepts "*"', () => {
    const env = { IM_JWT_SECRET: secret };
    expect(
      readConfig({ ...env, IM_CORS_ORIGINS: 'https://Shop.example/, http://localhost:5173' }, [])
        .allowedOrigins,
    ).toEqual(['https://shop.example', 'http://localhost:5173']);
    expect(readConfig({ ...env, IM_CORS_ORIGINS: '*' }, []).allowedOrigins).toBe('*');
  });

  it('reads the upload limit and accepted file types', () => {
    const config = readConfig(
      { IM_JWT_SECRET: secret, IM_FILE_MAX_BYTES: '1048576', IM_FILE_TYPES: 'image/*, Application/PDF' },
      [],
    );
    expect(config).toMatchObject({ fileMaxBytes: 1_048_576, fileTypes: ['image/*', 'application/pdf'] });
  });

  it('reads the upload quotas and how long unsent uploads are kept', () => {
    const env = { IM_JWT_SECRET: secret };
    expect(readConfig(env, [])).toMatchObject({
      uploadQuotaBytes: 1024 ** 3,
      unsentUploadMaxBytes: 100 * 1024 ** 2,
      unsentUploadTtlMs: 86_400_000,
    });
    const set = readConfig(
      { ...env, IM_UPLOAD_QUOTA_BYTES: '5000000', IM_UNSENT_UPLOAD_MAX_BYTES: '1000', IM_ORPHAN_UPLOAD_TTL: '90m' },
      [],
    );
    expect(set).toMatchObject({ uploadQuotaBytes: 5_000_000, unsentUploadMaxBytes: 1000, unsentUploadTtlMs: 5_400_000 });
    expect(readConfig({ ...env, IM_ORPHAN_UPLOAD_TTL: '3600' }, []).unsentUploadTtlMs).toBe(3_600_000);
    expect(() => readConfig({ ...env, IM_ORPHAN_UPLOAD_TTL: '1 week' }, [])).toThrow(/IM_ORPHAN_UPLOAD_TTL/);
    expect(() => readConfig({ ...env, IM_UPLOAD_QUOTA_BYTES: '1GB' }, [])).toThrow(/IM_UPLOAD_QUOTA_BYTES/);
  });

  it('reads the scale-out settings', () => {
    const env = { IM_JWT_SECRET: secret, IM_DATABASE_URL: 'postgres://db.internal/im' };
    expect(readConfig(env, [])).toMatchObject({
      database: { url: 'postgres://db.internal/im', schema: 'public' },
      redis: null,
    });
    const scaled = readConfig(
      { ...env, IM_DATABASE_SCHEMA: 'chat', IM_REDIS_URL: 'redis://cache:6379', IM_REDIS_PREFIX: 'shop-chat' },
      [],
    );
    expect(scaled).toMatchObject({
      database: { schema: 'chat' },
      redis: { url: 'redis://cache:6379', prefix: 'shop-chat' },
    });
    expect(readConfig({ ...env, IM_REDIS_URL: 'redis://cache' }, []).redis?.prefix).toBe('im-chat');
  });

  it('refuses settings that cannot work', () => {
    const bad: [NodeJS.ProcessEnv, string[]][] = [
      [{}, []],
      [{ IM_JWT_SECRET: 'short' }, []],
      [{ IM_JWT_SECRET: secret, IM_PORT: 'eighty' }, []],
      [{ IM_JWT_SECRET: secret, IM_PORT: '70000' }, []],
      [{ IM_JWT_SECRET: secret, IM_CORS_ORIGINS: 'https://shop.example/path' }, []],
      [{ IM_JWT_SECRET: secret, IM_CORS_ORIGINS: 'shop.example' }, []],
      [{ IM_JWKS_URL: 'file:///etc/passwd' }, []],
      [{ IM_JWT_SECRET: secret }, ['--verbose']],
      [{ IM_JWT_SECRET: secret, IM_LOG_LEVEL: 'loud' }, []],
      [{ IM_JWT_SECRET: secret, IM_FILE_MAX_BYTES: '20MB' }, []],
      [{ IM_JWT_SECRET: secret, IM_FILE_TYPES: 'pictures' }, []],
      [{ IM_JWT_SECRET: secret, IM_DATABASE_URL: 'mysql://db/im' }, []],
      [{ IM_JWT_SECRET: secret, IM_DATABASE_URL: 'postgres://db/im', IM_DATABASE_SCHEMA: 'Chat; DROP' }, []],
      [{ IM_JWT_SECRET: secret, IM_DATABASE_URL: 'postgres://db/im', IM_REDIS_URL: 'http://cache' }, []],
      // Processes linked by Redis must share one database.
      [{ IM_JWT_SECRET: secret, IM_REDIS_URL: 'redis://cache' }, []],
      [{ IM_JWT_SECRET: secret, IM_ADMIN_API_KEYS: 'short' }, []],
      [{ IM_JWT_SECRET: secret, IM_ADMIN_HMAC_SECRET: 'short' }, []],
      [{ IM_JWT_SECRET: secret, IM_JWT_CLOCK_TOLERANCE: '-1' }, []],
    ];
    for (const [env, args] of bad) {
      expect(() => readConfig(env, args), JSON.stringify(env)).toThrow(ConfigError);
    }
  });
});

describe('KeyedRateLimit', () => {
  it('gives each key its own bucket', async () => {
    let now = 1_000_000;
    const limit = new KeyedRateLimit({ capacity: 2, refillPerSecond: 1 }, { now: () => now });
    expect([await limit.take('dave'), await limit.take('dave'), await limit.take('dave')]).toEqual([0, 0, 1000]);
    expect(await limit.take('erin')).toBe(0);
    now += 1000;
    expect(await limit.take('dave')).toBe(0);
  });
});

describe('group ids', () => {
  it('makes group ids and invite codes of the documented shape', () => {
    expect(Id.safeParse(newGroupId()).success).toBe(true);
    expect(newGroupId()).toMatch(/^g_[A-Za-z0-9_-]{22}$/);
    const codes = new Set(Array.from({ length: 100 }, newInviteCode));
    expect(codes.size).toBe(100);
    for (const value of codes) expect(value).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(limits.inviteCodeLength).toBe(32);
  });
});
