import { resolve } from 'node:path';
import { normalizeOrigin, type AllowedOrigins } from './origin.js';

/** Everything main needs, read from the environment and the command line. */
export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  jwtSecret: Uint8Array | null;
  jwksUrl: string | null;
  issuer: string | undefined;
  audience: string | undefined;
  allowedOrigins: AllowedOrigins;
  demo: boolean;
  logLevel: string;
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
 * - `IM_HOST`: interface to bind, default 0.0.0.0 (all).
 * - `IM_DATA_DIR`: default `./data`, created if missing; holds `im-chat.sqlite`.
 * - `IM_JWT_SECRET`: HS256 secret shared with the host's backend, at least 32 bytes.
 * - `IM_JWKS_URL`: JWKS endpoint for RS256 / ES256 tokens.
 * - `IM_JWT_ISSUER`, `IM_JWT_AUDIENCE`: required `iss` / `aud` claims.
 * - `IM_CORS_ORIGINS`: comma-separated origins allowed besides the server's own, or `*`.
 * - `IM_DEMO=1` or `--demo`: seed demo users and hand out tokens for them.
 * - `IM_LOG_LEVEL`: pino level, default `warn`.
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
    host: env['IM_HOST'] || '0.0.0.0',
    dataDir: resolve(env['IM_DATA_DIR'] || 'data'),
    jwtSecret,
    jwksUrl,
    issuer: env['IM_JWT_ISSUER'] || undefined,
    audience: env['IM_JWT_AUDIENCE'] || undefined,
    allowedOrigins: readOrigins(env['IM_CORS_ORIGINS']),
    demo,
    logLevel,
  };
}

function readPort(value: string | undefined): number {
  if (value === undefined || value === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`IM_PORT must be a port number (0-65535), not "${value}"`);
  }
  return port;
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
