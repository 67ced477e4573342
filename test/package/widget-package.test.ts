/**
 * The widget package as an integrator installs it: `npm pack` of the built repository,
 * installed on its own with `npm install --omit=dev` (a frontend's install), then each entry
 * imported in Node (as server rendering does) and type-checked under `moduleResolution: node16`.
 * Needs `npm run build` first (as `npm test` does).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
    expect(packed).toEqual(expect.arrayContaining(['package.json', 'README.md', 'dist/im-chat.js', 'dist/client/index.js']));
    expect(packed.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(packed.filter((path) => !path.startsWith('dist/') && !['package.json', 'README.md'].includes(path))).toEqual([]);
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

/** Compiled addons (`*.node`) under a node_modules folder. */
async function nativeAddons(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.node')) found.push(join(entry.parentPath, entry.name));
  }
  return found;
}
