/**
 * The React and Vue examples (demo/react, demo/vue) as an integrator's app: type-checked
 * against the typings the build generated from custom-elements.json, built with Vite from the
 * package (`import 'im-chat'`, the built widget), and opened in Chromium against the reference
 * server in demo mode, with a message from Bob waiting for Alice. And the Preact typings, with
 * what the React and Preact ones must refuse (test/e2e/typings).
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs, chromiumPath } from '../support/node/chromium.js';
import { connectClient, type TestClient } from '../support/node/client.js';
import { ServerProcess } from '../support/node/server-process.js';
import { createTempDir, type TempDir } from '../support/node/temp-dir.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

const examples = [
  { name: 'React', dir: 'demo/react', typecheck: bin('tsc') },
  { name: 'Vue', dir: 'demo/vue', typecheck: bin('vue-tsc') },
] as const;

/** A port that was free a moment ago, for an app whose origin the server must know before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

let dataDir: TempDir;
let server: ServerProcess;
let browser: Browser;
let bob: TestClient;
const ports = new Map<string, number>();

beforeAll(async () => {
  for (const typings of ['react.d.ts', 'vue.d.ts', 'jsx.d.ts', 'ui/index.d.ts']) {
    const built = await stat(join(root, 'dist/types', typings)).catch(() => null);
    if (!built) throw new Error(`dist/types/${typings} is missing: run \`npm run build\` first`);
  }
  for (const { name } of examples) ports.set(name, await freePort());
  const origins = [...ports.values()].map((port) => `http://127.0.0.1:${port}`).join(',');
  dataDir = await createTempDir('im-chat-examples-');
  server = await ServerProcess.start({ dataDir: dataDir.path, demo: true, env: { IM_CORS_ORIGINS: origins } });
  // What the examples' stand-in backend reads (and Vite gives the apps as import.meta.env).
  process.env['VITE_IM_SERVER'] = server.url;

  const token = async (userId: string) => {
    const response = await fetch(`${server.url}/api/demo/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    return ((await response.json()) as { token: string }).token;
  };
  bob = await connectClient(server.url, await token('bob'));
  const { conversation } = await bob.ok('conversation:start', { userId: 'alice' });
  await bob.ok('message:send', {
    conversationId: conversation.id,
    clientId: 'bob-to-alice-0001',
    body: { type: 'text', text: 'Hi Alice, from Bob' },
  });
  browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
}, 90_000);

afterAll(async () => {
  delete process.env['VITE_IM_SERVER'];
  bob?.close();
  await browser?.close();
  await server?.stop();
  await dataDir?.remove();
});

/** Runs a type checker on a project; what it reports, or '' when the project type-checks. */
function typeErrors(checker: string, project: string): Promise<string> {
  return promisify(execFile)(checker, ['-p', join(root, project)], { cwd: root }).then(
    () => '',
    (error: { stdout?: string; message: string }) => error.stdout || error.message,
  );
}

describe('the generated typings', { timeout: 120_000 }, () => {
  it('type <im-chat> in Preact, and refuse in Preact and React what the element does not take', async () => {
    expect(await typeErrors(bin('tsc'), 'test/e2e/typings/tsconfig.preact.json')).toBe('');
    expect(await typeErrors(bin('tsc'), 'test/e2e/typings/tsconfig.json')).toBe('');
  });
});

describe.each(examples)('the $name example', { timeout: 120_000 }, ({ name, dir, typecheck }) => {
  let app: PreviewServer | undefined;
  let outDir: TempDir;
  let page: Page;

  afterAll(async () => {
    await page?.context().close();
    await app?.close();
    await outDir?.remove();
  });

  it('type-checks against the generated typings', async () => {
    expect(await typeErrors(typecheck, join(dir, 'tsconfig.json'))).toBe('');
  });

  it('builds with Vite, and in Chromium signs in, lists the conversation and tells the app its events', async () => {
    outDir = await createTempDir(`im-chat-${name.toLowerCase()}-`);
    const appRoot = join(root, dir);
    // A production build, as a site ships it (the test runner's NODE_ENV would make it a development one).
    const runnerEnv = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      await build({ root: appRoot, logLevel: 'warn', build: { outDir: outDir.path, emptyOutDir: true } });
    } finally {
      if (runnerEnv === undefined) delete process.env['NODE_ENV'];
      else process.env['NODE_ENV'] = runnerEnv;
    }
    app = await preview({
      root: appRoot,
      logLevel: 'warn',
      build: { outDir: outDir.path },
      preview: { host: '127.0.0.1', port: ports.get(name)!, strictPort: true },
    });

    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${ports.get(name)}/`);

    // The messenger connected with the token from tokenProvider: Bob's chat is in its list,
    // and the app heard im-ready (who signed in) and im-unread-change (Bob's message).
    const messenger = page.locator('im-chat[mode="messenger"]');
    await expect.poll(() => messenger.locator('button.item .name').allTextContents(), { timeout: 30_000 }).toContain('Bob');
    await expect.poll(() => page.locator('main > header > [role="status"]').textContent(), { timeout: 30_000 }).toBe(
      'Signed in as Alice, 1 unread',
    );
    // The attributes reached the element as React and Vue set them.
    expect(await messenger.getAttribute('style')).toMatch(/--im-height: 70vh/);
    expect(await messenger.getAttribute('theme')).toBe('light');

    // The page's own Help button opens the support panel (no launcher); im-open and im-close reach the app.
    await page.getByRole('button', { name: 'Help', exact: true }).click();
    await page.getByRole('button', { name: 'Close help' }).waitFor({ timeout: 30_000 });
    await expect.poll(() => page.locator('im-chat[mode="support"]').getAttribute('open')).toBe('');
    await page.getByRole('button', { name: 'Close help' }).click();
    await page.getByRole('button', { name: 'Help', exact: true }).waitFor({ timeout: 30_000 });
    expect(errors).toEqual([]);
  });
});
