import { describe, expect, it } from 'vitest';
import { Id } from '../../src/protocol/schemas.js';
import { ConfigError, readConfig } from '../../src/server/config.js';
import { singleConversationId } from '../../src/server/conversation-id.js';
import { TokenBucket } from '../../src/server/rate-limit.js';

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
    });
    expect(config.dataDir).toMatch(/data$/);
    expect(readConfig({ PORT: '8080', IM_DEMO: '1' }, []).port).toBe(8080);
    expect(readConfig({ PORT: '8080', IM_PORT: '0' }, ['--demo']).port).toBe(0);
  });

  it('normalizes origins and accepts "*"', () => {
    const env = { IM_JWT_SECRET: secret };
    expect(
      readConfig({ ...env, IM_CORS_ORIGINS: 'https://Shop.example/, http://localhost:5173' }, [])
        .allowedOrigins,
    ).toEqual(['https://shop.example', 'http://localhost:5173']);
    expect(readConfig({ ...env, IM_CORS_ORIGINS: '*' }, []).allowedOrigins).toBe('*');
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
    ];
    for (const [env, args] of bad) {
      expect(() => readConfig(env, args), JSON.stringify(env)).toThrow(ConfigError);
    }
  });
});
