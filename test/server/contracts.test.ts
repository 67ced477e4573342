import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

  it('give the admin API a name per operation, a server, a license, and nothing for redocly to report', async () => {
    const document = JSON.parse(await readFile(new URL('src/server/admin/openapi.json', repositoryRoot), 'utf8')) as {
      info: { license?: { name: string } };
      servers?: { url: string }[];
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    const operations = Object.values(document.paths).flatMap((operations) =>
      Object.entries(operations).filter(([method]) => methods.includes(method)).map(([, operation]) => operation),
    );
    const operationIds = operations.map((operation) => operation.operationId);
    expect(operationIds.filter((id) => !id), 'operations without an operationId').toEqual([]);
    expect(new Set(operationIds).size, 'operationIds are unique').toBe(operations.length);
    expect(document.servers?.length).toBeGreaterThan(0);
    expect(document.info.license?.name).toBe('MIT');

    // The linter integrators run, with its recommended rules: no errors (they break generators), no warnings either.
    const { stdout } = await promisify(execFile)(
      fileURLToPath(new URL('node_modules/.bin/redocly', repositoryRoot)),
      ['lint', 'src/server/admin/openapi.json', '--extends', 'recommended', '--format', 'json'],
      {
        cwd: fileURLToPath(repositoryRoot),
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        timeout: 60_000,
      },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as { totals: { errors: number }; problems: { severity: string; message: string }[] };
    expect(report.problems.map((problem) => `${problem.severity}: ${problem.message}`)).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 90_000);

  it('describe every socket command and server event', async () => {
    const schema = JSON.parse(await readFile(new URL('src/protocol/protocol.schema.json', repositoryRoot), 'utf8')) as {
      $defs: Record<string, { enum?: string[] }>;
    };
    const { commands, serverEvents } = await import('../../src/protocol/commands.js');
    expect(schema.$defs['CommandName']?.enum).toEqual(Object.keys(commands));
    expect(schema.$defs['ServerEventName']?.enum).toEqual(Object.keys(serverEvents));
    for (const command of Object.keys(commands)) {
      expect(schema.$defs[`${command}.payload`], command).toBeDefined();
      expect(schema.$defs[`${command}.result`], command).toBeDefined();
    }
    for (const event of Object.keys(serverEvents)) expect(schema.$defs[`event.${event}`], event).toBeDefined();
  });

  it('validate like the server does, with a JSON Schema validator of another make in its strict mode', async () => {
    const schema = JSON.parse(await readFile(new URL('src/protocol/protocol.schema.json', repositoryRoot), 'utf8'));
    // Ajv's defaults, strict mode included: an unknown keyword would throw here.
    const ajv = new Ajv2020();
    ajv.addSchema(schema, 'protocol');
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(ajv.getSchema('protocol')).toBeDefined();
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
