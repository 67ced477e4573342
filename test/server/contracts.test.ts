import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { adminPrefix, openApiPath } from '../../src/server/admin/admin-api.js';
import { buildContracts, withThrowawayServer } from '../../src/server/contracts.js';
import type { ImChatServer } from '../../src/server/create-server.js';

const repositoryRoot = new URL('../../', import.meta.url);
const methods = ['get', 'put', 'post', 'patch', 'delete'];

describe('the contracts kept in the repository', () => {
  it('are what the code generates (run `npm run contracts` after changing a schema or a route)', async () => {
    for (const contract of await buildContracts()) {
      const kept = await readFile(new URL(contract.path, repositoryRoot), 'utf8');
      expect(kept, `${contract.path} is out of date: run npm run contracts`).toBe(contract.content);
    }
  });

  it('document every admin route, and every documented route exists; the server serves the same document', async () => {
    const routes = new Set<string>();
    const collectRoutes = (server: ImChatServer) =>
      server.app.addHook('onRoute', (route) => {
        if (!route.url.startsWith(adminPrefix) || route.url === openApiPath) return;
        const path = route.url.replace(/:(\w+)/g, '{$1}');
        for (const method of [route.method].flat()) if (method !== 'HEAD') routes.add(`${method.toLowerCase()} ${path}`);
      });
    const served = await withThrowawayServer(
      async (server) =>
        (await server.app.inject({ method: 'GET', url: openApiPath })).json() as {
          paths: Record<string, Record<string, unknown>>;
        },
      collectRoutes,
    );
    const documented = new Set(
      Object.entries(served.paths).flatMap(([path, operations]) =>
        Object.keys(operations)
          .filter((key) => methods.includes(key))
          .map((method) => `${method} ${path}`),
      ),
    );
    expect(routes.size).toBeGreaterThan(20);
    expect([...routes].filter((route) => !documented.has(route)), 'routes without documentation').toEqual([]);
    expect([...documented].filter((route) => !routes.has(route)), 'documented routes that do not exist').toEqual([]);
    const kept = JSON.parse(await readFile(new URL('src/server/admin/openapi.json', repositoryRoot), 'utf8'));
    expect(served).toEqual(kept);
  });

  it('describe every socket command and server event', async () => {
    const schema = JSON.parse(await readFile(new URL('src/protocol/protocol.schema.json', repositoryRoot), 'utf8')) as {
      commands: string[];
      events: string[];
      $defs: Record<string, unknown>;
    };
    const { commandSchemas, serverEventSchemas } = await import('../../src/protocol/commands.js');
    expect(schema.commands).toEqual(Object.keys(commandSchemas));
    for (const command of schema.commands) {
      expect(schema.$defs[`${command}.payload`], command).toBeDefined();
      expect(schema.$defs[`${command}.result`], command).toBeDefined();
    }
    for (const event of Object.keys(serverEventSchemas)) expect(schema.$defs[`event.${event}`], event).toBeDefined();
  });

  it('validate like the server does, with a JSON Schema validator of another make', async () => {
    const schema = JSON.parse(await readFile(new URL('src/protocol/protocol.schema.json', repositoryRoot), 'utf8'));
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema(schema, 'protocol');
    const valid = (name: string, value: unknown) => ajv.validate(`protocol#/$defs/${name}`, value);
    const send = { conversationId: 's_x', clientId: 'client-0001', body: { type: 'text', text: 'hi' } };
    expect(valid('message:send.payload', send)).toBe(true);
    expect(valid('message:send.payload', { ...send, extra: 1 })).toBe(false);
    expect(valid('message:send.payload', { ...send, clientId: 'short' })).toBe(false);
    expect(valid('message:send.payload', { ...send, body: { type: 'text', text: 'x'.repeat(4001) } })).toBe(false);
    expect(valid('message:history.payload', { conversationId: 's_x' })).toBe(true);
    expect(valid('event.message:new', { ...send, id: 'm1', seq: 1, senderId: 'alice', createdAt: 5 })).toBe(true);
    expect(valid('event.message:new', { ...send, id: 'm1', seq: 0, senderId: 'alice', createdAt: 5 })).toBe(false);
    expect(valid('Ack', { ok: false, error: { code: 'not_found', message: 'no' } })).toBe(true);
  });
});
