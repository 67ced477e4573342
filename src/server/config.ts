import { resolve } from 'node:path';
import { limits } from '../protocol/limits.js';
import { defaultConnectionLimits, type ConnectionLimitOptions } from './connection-limits.js';
import { defaultUnsentUploads } from './files/unsent-upload-sweep.js';
import { defaultUploadQuota } from './files/upload-quota.js';
import { defaultSendRateLimit, type RateLimitOptions } from './rate-limit.js';
import { normalizeOrigin, type AllowedOrigins } from './origin.js';
import { defaultPushServiceHosts } from './push/push-endpoint.js';
import { defaultPushSubject } from './push/push-notifier.js';
import { schemaPattern } from './storage/postgres/pg-database.js';
import { readSupportSettings } from './support/support-config.js';
import type { SupportSettings } from './support/support-settings.js';

/** Everything main needs, read from the environment and the command line. */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  jwtSecret: Uint8Array | null;
  jwksUrl: string | null;
  issuer: string | undefined;
  audience: string | undefined;
  /** Seconds of clock skew allowed on `exp` and `nbf`. */
  clockToleranceSeconds: number;
  /** Admin API credentials; none: the API is not served. */
  adminApiKeys: string[];
  adminHmacSecret: string | undefined;
  allowedOrigins: AllowedOrigins;
  demo: boolean;
  logLevel: string;
  /** Largest upload, in bytes. */
  fileMaxBytes: number;
  /** Sniffed MIME types accepted for upload; null for the default list. */
  fileTypes: string[] | null;
  /** Bytes one user's uploads may take up, all of them and those not sent yet. */
  uploadQuotaBytes: number;
  unsentUploadMaxBytes: number;
  /** How long an upload no message carries is kept. */
  unsentUploadTtlMs: number;
  /** Web Push with this VAPID subject and endpoint policy, or false when turned off. */
  push: { subject: string; serviceHosts: string[]; trustedHosts: string[] } | false;
  /** PostgreSQL shared by every process; null for the embedded SQLite file. */
  database: { url: string; schema: string } | null;
  /** Redis linking the processes; null for one process on its own. */
  redis: { url: string; prefix: string } | null;
  support: SupportSettings;
  /** Sends per user over all their connections. */
  sendRateLimit: RateLimitOptions;
  connectionLimits: ConnectionLimitOptions;
}

/** A setting that cannot work; main prints the message and exits. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

// RFC 7518: an HS256 key must have at least as many bits as the hash.
const minimumSecretBytes = 32;
const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Settings, all optional except a way to verify tokens outside demo mode:
 *
 * - `IM_PORT` (or `PORT`): default 3000; 0 picks a free port.
 * - `IM_HOST`: interface to bind, default 0.0.0.0 (all); in demo mode 127.0.0.1 (this machine
 *   only), since the demo hands out tokens to whoever asks.
 * - `IM_DATA_DIR`: default `./data`, created if missing; holds `im-chat.sqlite` and, under
 *   `files/`, uploaded files.
 * - `IM_JWT_SECRET`: HS256 secret shared with the host's backend, at least 32 bytes.
 * - `IM_JWKS_URL`: JWKS endpoint for RS256 / ES256 tokens.
 * - `IM_JWT_ISSUER`, `IM_JWT_AUDIENCE`: required `iss` / `aud` claims.
 * - `IM_JWT_CLOCK_TOLERANCE`: seconds of clock skew allowed on `exp` / `nbf`, default 30.
 * - `IM_ADMIN_API_KEYS`: comma-separated keys of the admin API (each at least 32 characters).
 * - `IM_ADMIN_HMAC_SECRET`: secret of HMAC-signed admin API requests (at least 32 bytes).
 * - `IM_CORS_ORIGINS`: comma-separated origins allowed besides the server's own, or `*`.
 * - `IM_DEMO=1` or `--demo`: seed demo users and hand out tokens for them.
 * - `IM_LOG_LEVEL`: pino level, default `warn`.
 * - `IM_FILE_MAX_BYTES`: largest upload in bytes, default 20 MiB (`limits.fileSizeDefaultMax`).
 * - `IM_FILE_TYPES`: comma-separated MIME types accepted for upload (`image/*` for all of a
 *   kind), judged from the content; default: common images, PDF, zip, office documents,
 *   plain text, audio and video. HTML and SVG are never served as such.
 * - `IM_UPLOAD_QUOTA_BYTES`: bytes one user's uploads may take up, default 1 GiB; beyond,
 *   uploads fail with `413 quota_exceeded`.
 * - `IM_UNSENT_UPLOAD_MAX_BYTES`: bytes of one user's uploads that no message carries yet,
 *   default 100 MiB.
 * - `IM_ORPHAN_UPLOAD_TTL`: how long an upload no message carries is kept, as seconds or
 *   with a unit (`90m`, `12h`, `2d`); default `1d`.
 * - `IM_PUSH=off`: send no Web Push notifications (default on).
 * - `IM_PUSH_SUBJECT`: the VAPID subject push services may contact the operator at, a
 *   `mailto:` or `https:` URL; default `mailto:admin@localhost`.
 * - `IM_PUSH_SERVICES`: comma-separated host names subscriptions may point at (`*.example.com`
 *   for subdomains); default the browsers' push services (`defaultPushServiceHosts`).
 * - `IM_PUSH_TRUSTED_HOSTS`: comma-separated `host` or `host:port` of push services on a
 *   private network, reached over http too and whatever they resolve to; default none.
 * - `IM_DATABASE_URL`: `postgres://…` stores everything in PostgreSQL instead of the SQLite
 *   file, so that several processes can share it; `IM_DATABASE_SCHEMA` names the schema
 *   (default `public`, created if missing).
 * - `IM_REDIS_URL`: `redis://…` (or `rediss://`) links several processes: fan-out of events,
 *   presence, rate limits, membership news; `IM_REDIS_PREFIX` (default `im-chat`) prefixes
 *   its keys and channels. Needs `IM_DATABASE_URL`: processes must share their data.
 * - `IM_SUPPORT_*`: the support team (see `readSupportSettings`).
 * - `IM_SEND_RATE_LIMIT`: messages and edits per user over all their connections (and
 *   processes), as `<burst>/<per second>`; default `40/20`.
 * - `IM_MAX_CONNECTIONS_PER_USER`, `IM_MAX_CONNECTIONS_PER_ADDRESS`: open connections per
 *   user and per client address, in each process; default 20 and 500.
 */
export function readConfig(env: NodeJS.ProcessEnv, args: readonly string[]): ServerConfig {
  const unknown = args.filter((arg) => arg !== '--demo');
  if (unknown.length > 0) {
    throw new ConfigError(`unknown argument ${unknown[0]} (only --demo is known)`);
  }
  const demo = args.includes('--demo') || ['1', 'true'].includes(env['IM_DEMO'] ?? '');

  const jwtSecret = env['IM_JWT_SECRET'] ? new TextEncoder().encode(env['IM_JWT_SECRET']) : null;
  if (jwtSecret && jwtSecret.length < minimumSecretBytes) {
    throw new ConfigError(`IM_JWT_SECRET must be at least ${minimumSecretBytes} bytes long`);
  }
  const jwksUrl = env['IM_JWKS_URL'] || null;
  if (jwksUrl && !/^https?:\/\//.test(jwksUrl)) {
    throw new ConfigError('IM_JWKS_URL must be an http(s) URL');
  }
  if (!demo && !jwtSecret && !jwksUrl) {
    throw new ConfigError(
      'set IM_JWT_SECRET (HS256) or IM_JWKS_URL (RS256/ES256) so that tokens can be verified, ' +
        'or run with --demo (IM_DEMO=1) to try it out',
    );
  }

  const logLevel = env['IM_LOG_LEVEL'] || 'warn';
  if (!logLevels.includes(logLevel)) {
    throw new ConfigError(`IM_LOG_LEVEL must be one of ${logLevels.join(', ')}`);
  }

  return {
    port: readPort(env['IM_PORT'] ?? env['PORT']),
    host: env['IM_HOST'] || (demo ? '127.0.0.1' : '0.0.0.0'),
    dataDir: resolve(env['IM_DATA_DIR'] || 'data'),
    jwtSecret,
    jwksUrl,
    issuer: env['IM_JWT_ISSUER'] || undefined,
    audience: env['IM_JWT_AUDIENCE'] || undefined,
    clockToleranceSeconds: readClockTolerance(env['IM_JWT_CLOCK_TOLERANCE']),
    adminApiKeys: readAdminKeys(env['IM_ADMIN_API_KEYS']),
    adminHmacSecret: readAdminSecret(env['IM_ADMIN_HMAC_SECRET']),
    allowedOrigins: readOrigins(env['IM_CORS_ORIGINS']),
    demo,
    logLevel,
    fileMaxBytes: readFileMaxBytes(env['IM_FILE_MAX_BYTES']),
    fileTypes: readFileTypes(env['IM_FILE_TYPES']),
    uploadQuotaBytes: readBytes('IM_UPLOAD_QUOTA_BYTES', env, defaultUploadQuota.quotaBytes),
    unsentUploadMaxBytes: readBytes('IM_UNSENT_UPLOAD_MAX_BYTES', env, defaultUploadQuota.unsentMaxBytes),
    unsentUploadTtlMs: readDuration('IM_ORPHAN_UPLOAD_TTL', env, defaultUnsentUploads.unsentTtlMs),
    push: readPush(env),
    ...readScaleOut(env),
    support: readSupport(env),
    sendRateLimit: readRateLimit('IM_SEND_RATE_LIMIT', env['IM_SEND_RATE_LIMIT'], defaultSendRateLimit),
    connectionLimits: {
      perUser: readCount('IM_MAX_CONNECTIONS_PER_USER', env, defaultConnectionLimits.perUser),
      perAddress: readCount('IM_MAX_CONNECTIONS_PER_ADDRESS', env, defaultConnectionLimits.perAddress),
    },
  };
}

function readScaleOut(env: NodeJS.ProcessEnv): Pick<ServerConfig, 'database' | 'redis'> {
  const databaseUrl = env['IM_DATABASE_URL'] || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('IM_DATABASE_URL must be a postgres:// URL (leave it unset for SQLite)');
  }
  const schema = env['IM_DATABASE_SCHEMA'] || 'public';
  if (!schemaPattern.test(schema)) {
    throw new ConfigError('IM_DATABASE_SCHEMA must be a lower-case identifier (letters, digits, _)');
  }
  const redisUrl = env['IM_REDIS_URL'] || null;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    throw new ConfigError('IM_REDIS_URL must be a redis:// or rediss:// URL');
  }
  if (redisUrl && !databaseUrl) {
    throw new ConfigError(
      'IM_REDIS_URL links several processes, which must share their data: set IM_DATABASE_URL too',
    );
  }
  const prefix = env['IM_REDIS_PREFIX'] || 'im-chat';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(prefix)) {
    throw new ConfigError('IM_REDIS_PREFIX must be 1-64 letters, digits or _ . : -');
  }
  return {
    database: databaseUrl ? { url: databaseUrl, schema } : null,
    redis: redisUrl ? { url: redisUrl, prefix } : null,
  };
}

function readSupport(env: NodeJS.ProcessEnv): SupportSettings {
  try {
    return readSupportSettings(env);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

function readRateLimit(name: string, value: string | undefined, fallback: RateLimitOptions): RateLimitOptions {
  if (value === undefined || value === '') return fallback;
  const match = /^(\d+)\/(\d+(\.\d+)?)$/.exec(value.trim());
  const capacity = Number(match?.[1]);
  const refillPerSecond = Number(match?.[2]);
  if (!match || capacity < 1 || refillPerSecond <= 0) {
    throw new ConfigError(`${name} must be <burst>/<per second>, like 40/20, not "${value}"`);
  }
  return { capacity, refillPerSecond };
}

function readCount(name: string, env: NodeJS.ProcessEnv, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const count = Number(value);
  if (!Number.isSafeInteger(count) || count < 1) throw new ConfigError(`${name} must be a whole number from 1, not "${value}"`);
  return count;
}

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`IM_PORT must be a port number (0-65535), not "${value}"`);
  }
  return port;
}

function readClockTolerance(value: string | undefined): number {
  if (value === undefined || value === '') return 30;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 600) {
    throw new ConfigError(`IM_JWT_CLOCK_TOLERANCE must be 0-600 seconds, not "${value}"`);
  }
  return seconds;
}

function readAdminKeys(value: string | undefined): string[] {
  const keys = (value ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  if (keys.some((key) => key.length < minimumSecretBytes)) {
    throw new ConfigError(`each of IM_ADMIN_API_KEYS must be at least ${minimumSecretBytes} characters long`);
  }
  return keys;
}

function readAdminSecret(value: string | undefined): string | undefined {
  if (!value) return undefined;
  if (new TextEncoder().encode(value).length < minimumSecretBytes) {
    throw new ConfigError(`IM_ADMIN_HMAC_SECRET must be at least ${minimumSecretBytes} bytes long`);
  }
  return value;
}

function readFileMaxBytes(value: string | undefined): number {
  if (value === undefined || value === '') return limits.fileSizeDefaultMax;
  const bytes = Number(value);
  if (!Number.isSafeInteger(bytes) || bytes < 1) {
    throw new ConfigError(`IM_FILE_MAX_BYTES must be a number of bytes, not "${value}"`);
  }
  return bytes;
}

function readBytes(name: string, env: NodeJS.ProcessEnv, fallback: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const bytes = Number(value);
  if (!Number.isSafeInteger(bytes) || bytes < 1) throw new ConfigError(`${name} must be a number of bytes, not "${value}"`);
  return bytes;
}

const durationUnits: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function readDuration(name: string, env: NodeJS.ProcessEnv, fallbackMs: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallbackMs;
  const match = /^(\d+)([smhd]?)$/.exec(value.trim());
  const ms = match ? Number(match[1]) * durationUnits[match[2] || 's']! : 0;
  if (!Number.isSafeInteger(ms) || ms < 1000) {
    throw new ConfigError(`${name} must be a duration like 3600, 90m, 12h or 2d, not "${value}"`);
  }
  return ms;
}

function readFileTypes(value: string | undefined): string[] | null {
  const types = (value ?? '').split(',').map((type) => type.trim().toLowerCase()).filter(Boolean);
  const bad = types.find((type) => !/^[a-z0-9.+-]+\/([a-z0-9.+-]+|\*)$/.test(type));
  if (bad) throw new ConfigError(`IM_FILE_TYPES: "${bad}" is not a MIME type like image/png or image/*`);
  return types.length > 0 ? types : null;
}

function readPush(env: NodeJS.ProcessEnv): ServerConfig['push'] {
  if (['off', '0', 'false'].includes((env['IM_PUSH'] ?? '').trim().toLowerCase())) return false;
  const subject = env['IM_PUSH_SUBJECT'] || defaultPushSubject;
  if (!/^(mailto:\S+@\S+|https:\/\/\S+)$/.test(subject)) {
    throw new ConfigError('IM_PUSH_SUBJECT must be a mailto: or https: URL');
  }
  const list = (value: string | undefined) =>
    (value ?? '').split(',').map((host) => host.trim().toLowerCase()).filter(Boolean);
  const serviceHosts = env['IM_PUSH_SERVICES'] ? list(env['IM_PUSH_SERVICES']) : [...defaultPushServiceHosts];
  const badService = serviceHosts.find((host) => !/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host));
  if (badService) throw new ConfigError(`IM_PUSH_SERVICES: "${badService}" is not a host name like push.example.com or *.example.com`);
  const trustedHosts = list(env['IM_PUSH_TRUSTED_HOSTS']);
  const badTrusted = trustedHosts.find((host) => !/^([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/.test(host));
  if (badTrusted) throw new ConfigError(`IM_PUSH_TRUSTED_HOSTS: "${badTrusted}" is not a host or host:port`);
  return { subject, serviceHosts, trustedHosts };
}

function readOrigins(value: string | undefined): AllowedOrigins {
  if (value?.trim() === '*') return '*';
  const origins = (value ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  try {
    return origins.map(normalizeOrigin);
  } catch (error) {
    throw new ConfigError(`IM_CORS_ORIGINS: ${(error as Error).message}`);
  }
}
