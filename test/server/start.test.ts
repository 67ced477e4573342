/**
 * `npm start` as a new user runs it: the widget is built only when its sources changed,
 * the demo listens on this machine only, and stopping npm stops everything it started.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { recordWidgetBuild, widgetBuildState } from '../../src/server/start/widget-build.js';
import { createTempDir, type TempDir } from '../support/node/temp-dir.js';
import { withTimeout } from '../support/node/wait.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

const temps: TempDir[] = [];
afterEach(async () => {
  await Promise.all(temps.splice(0).map((temp) => temp.remove()));
});

async function tempDir(): Promise<string> {
  const temp = await createTempDir('im-chat-start-');
  temps.push(temp);
  return temp.path;
}

/** Whether something accepts TCP connections at host:port. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** The process ids below `pid`, children first. */
async function descendants(pid: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', ['-A', '-o', 'pid=,ppid=']);
  const pairs = stdout.trim().split('\n').map((line) => line.trim().split(/\s+/).map(Number));
  const below = (parent: number): number[] =>
    pairs.filter(([, ppid]) => ppid === parent).flatMap(([child]) => [child!, ...below(child!)]);
  return below(pid);
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', { timeout: 180_000 }, () => {
  it('serves the demo on 127.0.0.1, and SIGTERM to npm stops the server and every process it started', async () => {
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(
        ([key]) => !key.startsWith('IM_') && key !== 'PORT' && key !== 'NODE_OPTIONS',
      ),
    );
    const npm = spawn('npm', ['start'], {
      cwd: repositoryRoot,
      env: { ...inherited, IM_PORT: '0', IM_DATA_DIR: await tempDir() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let tree: number[] = [];
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)));
    try {
      const demoLine = new Promise<RegExpMatchArray>((resolve, reject) => {
        const check = (chunk: Buffer) => {
          output += chunk.toString();
          const match = /^Demo: http:\/\/127\.0\.0\.1:(\d+)\/$/m.exec(output);
          if (match) resolve(match);
        };
        npm.stdout.on('data', check);
        npm.stderr.on('data', check);
        void exited.then((code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
      });
      const port = Number((await withTimeout(demoLine, 150_000, 'the demo address'))[1]);

      expect(await accepts('127.0.0.1', port)).toBe(true);
      const outside = Object.values(networkInterfaces())
        .flat()
        .find((address) => address && address.family === 'IPv4' && !address.internal);
      if (outside) expect(await accepts(outside.address, port)).toBe(false);

      tree = await descendants(npm.pid!);
      expect(tree.length).toBeGreaterThan(0);
      npm.kill('SIGTERM');
      expect(await withTimeout(exited, 30_000, 'npm to exit')).toBe(0);
      expect(await accepts('127.0.0.1', port)).toBe(false);
      // Helpers of the server (tsx's esbuild) end once their parent has; give them a moment.
      await withTimeout(
        (async () => {
          while (tree.some(running)) await new Promise((resolve) => setTimeout(resolve, 100));
        })(),
        10_000,
        `processes ${tree.filter(running).join(', ')} to end`,
      );
      expect(output).toMatch(/^im-chat: (the widget build is current|(re)?building the widget)/m);
      expect(output).toMatch(/only this machine can connect/);
    } finally {
      // A failed run must not leave a server behind.
      for (const pid of [npm.pid!, ...tree].filter(running)) process.kill(pid, 'SIGKILL');
    }
  });
});

describe('the widget build check', () => {
  const inputs = ['src/ui/im-chat.ts', 'src/server/main.ts', 'vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];
  const outputs = ['im-chat.js', 'im-chat.iife.js', 'im-chat-sw.js', 'im-chat-loader.js', 'emoji/en.json', 'emoji/zh.json', 'locales/zh-CN.json'];
  const at = (seconds: number) => new Date(1_700_000_000_000 + seconds * 1000);

  async function files(root: string, paths: string[], seconds: number): Promise<void> {
    for (const path of paths) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), path);
      await utimes(join(root, path), at(seconds), at(seconds));
    }
  }

  it('builds on the first start, and again only when the widget sources changed', async () => {
    const root = await tempDir();
    await files(root, inputs, 0);
    expect(await widgetBuildState(root)).toEqual({ current: false, reason: 'missing' });

    await files(root, outputs.map((file) => `dist/${file}`), 10);
    expect(await widgetBuildState(root)).toEqual({ current: true });

    // The server runs from its sources: no rebuild for it.
    await files(root, ['src/server/main.ts'], 20);
    expect(await widgetBuildState(root)).toEqual({ current: true });

    await files(root, ['src/ui/im-chat.ts'], 30);
    expect(await widgetBuildState(root)).toEqual({ current: false, reason: 'changed', changed: 'src/ui/im-chat.ts' });

    await files(root, outputs.map((file) => `dist/${file}`), 40);
    await files(root, ['package-lock.json'], 50);
    expect(await widgetBuildState(root)).toEqual({ current: false, reason: 'changed', changed: 'package-lock.json' });
  });

  it('counts a change made while the last build ran as after it', async () => {
    const root = await tempDir();
    await files(root, inputs, 0);
    await files(root, ['src/ui/im-chat.ts'], 15);
    await files(root, outputs.map((file) => `dist/${file}`), 20);
    await recordWidgetBuild(root, at(10).getTime());
    expect(await widgetBuildState(root)).toMatchObject({ current: false, changed: 'src/ui/im-chat.ts' });

    // A later `npm run build` wrote dist/ anew: its outputs' time counts.
    await files(root, outputs.map((file) => `dist/${file}`), 30);
    expect(await widgetBuildState(root)).toEqual({ current: true });
  });
});
