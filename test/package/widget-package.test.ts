/**
 * The widget package as an integrator installs it: `npm pack` of the built repository,
 * installed on its own with `npm install --omit=dev` (a frontend's install), then each entry
 * imported in Node (as server rendering does) and type-checked under `moduleResolution: node16`,
 * and the main entry resolved as Vite resolves it for server rendering and for a browser,
 * the latter run in Chromium. Needs `npm run build` first (as `npm test` does).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import puppeteer from 'puppeteer-core';
import { build, createServer as createViteServer, parseAst, type Rolldown } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../support/node/chromium.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Each entry of the `exports` map that has code, and names it must export in Node. */
const entries: Record<string, string[]> = {
  'im-chat': ['ImChat', 'ChatClient', 'ChatError'],
  'im-chat/client': ['ChatClient', 'ChatError', 'VisitorIdentity', 'LocalErrorCode'],
  'im-chat/protocol': ['ErrorCode', 'limits', 'ok', 'fail'],
  'im-chat/im-chat.iife.js': [],
  'im-chat/loader': [],
  'im-chat/sw': [],
};

let dir: string;
let packed: string[];
let installLog: string;

beforeAll(async () => {
  if (!existsSync(join(root, 'dist', 'im-chat.js')) || !existsSync(join(root, 'dist', 'types'))) {
    throw new Error('the widget is not built: run `npm run build` first');
  }
  dir = await mkdtemp(join(tmpdir(), 'im-chat-package-'));
  const { stdout } = await run(npm, ['pack', '--json', '--pack-destination', dir], { cwd: root });
  const [pack] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  packed = pack.files.map((file) => file.path);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'frontend', private: true, type: 'module' }));
  const install = await run(
    npm,
    ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', '--foreground-scripts', `./${pack.filename}`],
    { cwd: dir, env: { ...process.env, npm_config_loglevel: 'warn' } },
  );
  installLog = install.stdout + install.stderr;
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the packed widget', () => {
  it('carries the built entries, and no server code, sources or source maps', () => {
    expect(packed).toEqual(
      expect.arrayContaining(['package.json', 'README.md', 'custom-elements.json', 'dist/im-chat.js', 'dist/client/index.js', 'dist/types/react.d.ts', 'dist/types/vue.d.ts']),
    );
    expect(packed.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(packed.filter((path) => !path.startsWith('dist/') && !['package.json', 'README.md', 'custom-elements.json'].includes(path))).toEqual([]);
    expect(packed.filter((path) => /server/.test(path))).toEqual([]);
  });

  it('installs a frontend with at most 25 packages, no native build and no engine warnings', async () => {
    const lock = JSON.parse(await readFile(join(dir, 'node_modules', '.package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const installed = Object.entries(lock.packages).filter(([path]) => path !== '');
    expect(installed.length).toBeLessThanOrEqual(25);
    expect(installed.filter(([, entry]) => entry.hasInstallScript).map(([path]) => path)).toEqual([]);
    expect(await nativeAddons(join(dir, 'node_modules'))).toEqual([]);
    expect(installLog).not.toMatch(/EBADENGINE|gyp/);
  });

  it('imports every entry in Node without a DOM, defining nothing global', async () => {
    const script = `
      const before = new Set(Object.getOwnPropertyNames(globalThis));
      const result = {};
      for (const entry of ${JSON.stringify(Object.keys(entries))}) result[entry] = Object.keys(await import(entry));
      result.schema = (await import('im-chat/protocol.schema.json', { with: { type: 'json' } })).default.$schema ?? null;
      result.version = (await import('im-chat/package.json', { with: { type: 'json' } })).default.version;
      result.globals = Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name));
      console.log(JSON.stringify(result));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], { cwd: dir });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    for (const [entry, names] of Object.entries(entries)) expect(result[entry], entry).toEqual(expect.arrayContaining(names));
    expect(result['schema']).toEqual(expect.any(String));
    expect(result['version']).toBe(JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version);
    expect(result['globals']).toEqual([]);
  });

  it('type-checks every entry under moduleResolution node16, its own declarations included', async () => {
    await writeFile(
      join(dir, 'check.ts'),
      [
        `import { ChatClient, ImChat, type ChatClientOptions, type ImErrorDetail } from 'im-chat';`,
        `import { VisitorIdentity } from 'im-chat/client';`,
        `import { ErrorCode, type PushNotification } from 'im-chat/protocol';`,
        `import type {} from 'im-chat/im-chat.iife.js';`,
        `import type { ImChatApi } from 'im-chat/loader';`,
        `import type {} from 'im-chat/sw';`,
        `export const values: unknown[] = [ChatClient, ImChat, VisitorIdentity, ErrorCode, globalThis.ImChat];`,
        `export type Types = [ChatClientOptions, ImErrorDetail, PushNotification, ImChatApi];`,
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'node16',
          moduleResolution: 'node16',
          target: 'es2022',
          lib: ['es2023', 'dom'],
          types: [],
          strict: true,
          noEmit: true,
          skipLibCheck: false,
        },
        files: ['check.ts'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const check = await run(process.execPath, [tsc, '-p', dir], { cwd: dir }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    expect(check).toBe('');
  }, 120_000);
});

describe('the main entry, as each kind of consumer resolves it', () => {
  // What an app sees of `im-chat` next to `im-chat/client`: the same in Node, Vite's server
  // rendering, a Vite app in a browser and the unbundled files in a browser.
  const probe = `
    import * as main from 'im-chat';
    import * as client from 'im-chat/client';
    export const result = {
      imChat: typeof main.ImChat,
      registered: typeof document !== 'undefined' && document.createElement('im-chat') instanceof main.ImChat,
      sameClient: main.ChatClient === client.ChatClient && main.ChatError === client.ChatError,
    };
    if (typeof window !== 'undefined') window.result = result;`;
  const withoutDom = { imChat: 'undefined', registered: false, sameClient: true };
  const inBrowser = { imChat: 'function', registered: true, sameClient: true };

  beforeAll(async () => {
    await writeFile(join(dir, 'probe.js'), probe);
  });

  it('gives Node the client only, the same client as im-chat/client', async () => {
    const script = `const { result } = await import('./probe.js'); console.log(JSON.stringify(result));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
    expect(JSON.parse(stdout)).toEqual(withoutDom);
  });

  it("gives Vite's server rendering the client only, whether Node or Vite resolves the package", async () => {
    const server = await createViteServer({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      appType: 'custom',
      server: { middlewareMode: true, hmr: false, ws: false },
    });
    try {
      const loaded = (await server.ssrLoadModule('/probe.js')) as { result: unknown };
      expect(loaded.result).toEqual(withoutDom);
    } finally {
      await server.close();
    }
    const bundled = await build({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      ssr: { noExternal: true },
      build: { ssr: join(dir, 'probe.js'), write: false },
    });
    const modules = packageModules(bundled as Rolldown.RolldownOutput);
    expect(modules).toContain('dist/node/im-chat.js');
    expect(modules).not.toContain('dist/im-chat.js');
  }, 60_000);

  it('gives a browser the registered elements and one copy of the client, bundled by Vite or not', async () => {
    const pkg = JSON.parse(await readFile(join(dir, 'node_modules', 'im-chat', 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
    };
    const page = (head: string) =>
      `<!doctype html><html><head><link rel="icon" href="data:,">${head}<script type="module" src="/probe.js"></script></head><body></body></html>`;
    await writeFile(join(dir, 'index.html'), page(''));
    const bundled = await build({ root: dir, configFile: false, logLevel: 'silent', base: './', build: { outDir: join(dir, 'web/vite') } });
    expect(packageModules(bundled as Rolldown.RolldownOutput)).toContain('dist/im-chat.js');
    // The files as they are, with an import map that follows the `browser` condition.
    const file = (target: string | undefined) => `/node_modules/im-chat/${String(target).replace(/^\.\//, '')}`;
    const imports = { 'im-chat': file(pkg.exports['.']?.['browser']), 'im-chat/client': file(pkg.exports['./client']?.['default']) };
    await mkdir(join(dir, 'web/native'), { recursive: true });
    await writeFile(
      join(dir, 'web/native/index.html'),
      page(`<script type="importmap">${JSON.stringify({ imports })}</script>`),
    );

    const http = await serveFiles({ '/web/': join(dir, 'web'), '/node_modules/': join(dir, 'node_modules'), '/probe.js': join(dir, 'probe.js') });
    const browser = await puppeteer.launch({ executablePath: chromiumPath, headless: false, args: chromiumArgs });
    try {
      for (const path of ['/web/vite/index.html', '/web/native/index.html']) {
        const tab = await browser.newPage();
        const failures: string[] = [];
        tab.on('pageerror', (error) => failures.push(String(error)));
        tab.on('requestfailed', (request) => failures.push(`${request.url()} failed`));
        tab.on('response', (response) => void (response.ok() || failures.push(`${response.url()}: ${response.status()}`)));
        await tab.goto(`${http.origin}${path}`);
        const result = await tab
          .waitForFunction(() => (globalThis as { result?: unknown }).result, { timeout: 15_000 })
          .then((handle) => handle.jsonValue(), () => null);
        expect({ path, result, failures }).toEqual({ path, result: inBrowser, failures: [] });
        await tab.close();
      }
    } finally {
      await browser.close();
      await http.close();
    }
  }, 120_000);
});

describe('what a page loads first from the installed package', () => {
  /** The first screen's budget, min+gzip: what `im-chat.js` and its static imports may weigh. */
  const budget = 100 * 1024;
  // Parts of the widget that a page must not wait for before the conversation list shows.
  const onDemand = ['im-message-pane', 'im-group-panel', 'im-search', 'im-emoji-picker', 'socket-transport', 'highlighter', 'icons'];

  it('weighs at most 100 KB min+gzip, and leaves the conversation, the dialogs and socket.io to later', async () => {
    const folder = join(dir, 'node_modules', 'im-chat', 'dist');
    const first = await staticallyLoaded(folder, 'im-chat.js');
    const sources = await Promise.all(first.map((file) => readFile(join(folder, file))));
    const bytes = sources.reduce((sum, source) => sum + gzipSync(source, { level: 9 }).length, 0);
    expect(bytes).toBeLessThanOrEqual(budget);

    const chunkName = (file: string) => file.replace(/-[\w-]{8}\.js$/, '');
    const all = (await readdir(folder)).filter((file) => file.endsWith('.js')).map(chunkName);
    expect(onDemand.filter((name) => !all.includes(name))).toEqual([]);
    expect(first.map(chunkName).filter((name) => onDemand.includes(name))).toEqual([]);
    // Minified whole, but a bundler that builds the package again can still drop what is unused.
    expect(sources.some((source) => source.includes('/* @__PURE__ */'))).toBe(true);
  });
});

/** A module file and every file it imports statically, directly or not (dynamic imports excluded). */
async function staticallyLoaded(folder: string, entry: string): Promise<string[]> {
  const loaded = new Set<string>();
  const visit = async (file: string): Promise<void> => {
    if (loaded.has(file)) return;
    loaded.add(file);
    const program = parseAst(await readFile(join(folder, file), 'utf8'));
    for (const statement of program.body) {
      const source = 'source' in statement ? statement.source : null;
      if (source && typeof source.value === 'string' && source.value.startsWith('.')) {
        await visit(normalize(join(dirname(file), source.value)));
      }
    }
  };
  await visit(entry);
  return [...loaded];
}

/** The installed package's files (`dist/…`) that a build bundled. */
function packageModules(output: Rolldown.RolldownOutput | Rolldown.RolldownOutput[]): string[] {
  const results = Array.isArray(output) ? output : [output];
  return results
    .flatMap((result) => result.output)
    .flatMap((item) => (item.type === 'chunk' ? item.moduleIds : []))
    .map((id) => id.split('/node_modules/im-chat/')[1])
    .filter((path): path is string => path !== undefined);
}

/** Serves files under URL prefixes (a prefix ending in `/` maps a folder), on a free port. */
async function serveFiles(routes: Record<string, string>): Promise<{ origin: string; close: () => Promise<void> }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.json': 'application/json' };
  const server = createHttpServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    const prefix = Object.keys(routes).find((route) => (route.endsWith('/') ? path.startsWith(route) : path === route));
    const root = prefix === undefined ? undefined : routes[prefix];
    const file = prefix?.endsWith('/') && root ? join(root, normalize(`/${path.slice(prefix.length)}`)) : root;
    if (file === undefined) return void response.writeHead(404).end();
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Compiled addons (`*.node`) under a node_modules folder. */
async function nativeAddons(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.node')) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}
