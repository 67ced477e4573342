/**
 * The machine-readable contracts kept in the repository: the protocol's JSON Schema and
 * the admin API's OpenAPI document, both generated from the code. `npm run contracts`
 * writes them; a test fails when they differ from what the code generates.
 */
import { randomBytes } from 'node:crypto';
import { protocolJsonSchema } from '../protocol/json-schema.js';
import { openApiPath } from './admin/admin-api.js';
import { createJwtAuthenticator } from './auth/jwt-authenticator.js';
import { createServer, type ImChatServer } from './create-server.js';
import { SqliteStorage } from './storage/sqlite/sqlite-storage.js';

export interface Contract {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

const asJson = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export async function buildContracts(): Promise<Contract[]> {
  return [
    { path: 'src/protocol/protocol.schema.json', content: asJson(protocolJsonSchema()) },
    { path: 'src/server/admin/openapi.json', content: asJson(await adminOpenApiDocument()) },
  ];
}

/** The document as the server serves it. */
export function adminOpenApiDocument(): Promise<unknown> {
  return withThrowawayServer(async (server) => (await server.app.inject({ method: 'GET', url: openApiPath })).json());
}

/**
 * Runs `use` with a server on a throwaway in-memory database, with the admin API on;
 * `prepare` sees it before it starts (to add hooks).
 */
export async function withThrowawayServer<T>(
  use: (server: ImChatServer) => Promise<T>,
  prepare: (server: ImChatServer) => void = () => {},
): Promise<T> {
  const storage = new SqliteStorage({ filename: ':memory:' });
  await storage.migrate();
  const server = createServer({
    storage,
    auth: createJwtAuthenticator({ secret: randomBytes(32) }),
    admin: { apiKeys: [randomBytes(32).toString('base64url')] },
    push: false,
  });
  try {
    prepare(server);
    await server.app.ready();
    return await use(server);
  } finally {
    await server.close();
    await storage.close();
  }
}
