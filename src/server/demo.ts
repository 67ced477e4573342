import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import type { User } from '../protocol/index.js';
import { systemClock, type Clock } from './clock.js';
import { CommandError } from './errors.js';

/** The people of demo mode: anyone who can reach the server may act as them. */
export const demoUsers: readonly User[] = [
  { id: 'alice', name: 'Alice', avatar: null },
  { id: 'bob', name: 'Bob', avatar: null },
  { id: 'carol', name: 'Carol', avatar: null },
  { id: 'dave', name: 'Dave', avatar: null },
];

/** The demo shop's support agents: they answer visitors in the agent inbox. */
export const demoAgents: readonly User[] = [
  { id: 'sam', name: 'Sam', avatar: null },
  { id: 'kim', name: 'Kim', avatar: null },
];

/** The demo shop's support team, unless the environment configures one. */
export const demoSupportName = 'Oak & Ember support';

export interface DemoToken {
  token: string;
  /** When the token's `exp` falls, ms since epoch. */
  expiresAt: number;
}

/** The demo part of the server: seeded users, and tokens for them on request. */
export interface DemoMode {
  users: readonly User[];
  /** Seeded with the support agent role. */
  agents: readonly User[];
  /** Signs a token for a seeded user; `not_found` for any other id. */
  issueToken(userId: string): Promise<DemoToken>;
}

export interface DemoModeOptions {
  /** The HS256 secret the server's authenticator accepts. */
  secret: Uint8Array;
  /** Set when the authenticator requires them, so demo tokens verify. */
  issuer?: string;
  audience?: string;
  users?: readonly User[];
  agents?: readonly User[];
  tokenLifetimeSeconds?: number;
  clock?: Clock;
}

export function createDemoMode(options: DemoModeOptions): DemoMode {
  const users = options.users ?? demoUsers;
  const agents = options.agents ?? demoAgents;
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  const clock = options.clock ?? systemClock;
  return {
    users,
    agents,
    async issueToken(userId) {
      const user = [...users, ...agents].find((candidate) => candidate.id === userId);
      if (!user) throw new CommandError('not_found', 'no demo user with this id');
      const issuedAt = Math.floor(clock.now() / 1000);
      const jwt = new SignJWT({ name: user.name, avatar: user.avatar })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(user.id)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + lifetime);
      if (options.issuer) jwt.setIssuer(options.issuer);
      if (options.audience) jwt.setAudience(options.audience);
      return { token: await jwt.sign(options.secret), expiresAt: (issuedAt + lifetime) * 1000 };
    },
  };
}

const secretFile = 'demo-jwt-secret';
const secretBytes = 32;

/**
 * The demo signing secret, created once in the data dir (mode 0600) so that demo tokens
 * survive restarts.
 */
export async function loadOrCreateDemoSecret(dataDir: string): Promise<Uint8Array> {
  const path = join(dataDir, secretFile);
  try {
    await writeFile(path, randomBytes(secretBytes).toString('base64url'), {
      mode: 0o600,
      flag: 'wx',
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const secret = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64url');
  if (secret.length !== secretBytes) {
    throw new Error(`${path} is not a demo secret; delete it to have a new one generated`);
  }
  return secret;
}
