/**
 * Whether `dist/` holds a widget built from the sources as they are now, so that
 * `npm start` can skip the build when nothing the widget is built from has changed.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** What the demo pages load from `dist/`; one missing means no (complete) build. */
const outputs = [
  'im-chat.js',
  'im-chat.iife.js',
  'im-chat-sw.js',
  'im-chat-loader.js',
  'emoji/en.json',
  'emoji/zh.json',
  // The one script's languages (one stands for all: they are written together).
  'locales/zh-CN.json',
];

/** Files at the root that change what vite builds (the lock file stands for node_modules). */
const rootInputs = ['vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.json'];

// The server runs from its sources and is no part of the bundle: editing it needs no build.
const notBundled = new Set(['server']);

// Outside dist/, which the server serves to anyone.
const stampDir = join('node_modules', '.cache', 'im-chat');
const stampFile = 'widget-build.json';

export type WidgetBuildState =
  | { current: true }
  | { current: false; reason: 'missing' }
  | { current: false; reason: 'changed'; changed: string };

/**
 * Compares the newest input with the build's time: the start of the last build that
 * `npm start` made (an edit made during that build counts as after it), or, when `dist/`
 * was rebuilt since (by `npm run build`), the time its outputs were written.
 */
export async function widgetBuildState(root: string): Promise<WidgetBuildState> {
  const written = await Promise.all(outputs.map((file) => modifiedAt(join(root, 'dist', file))));
  if (written.some((time) => time === null)) return { current: false, reason: 'missing' };
  const stamp = await readStamp(root);
  const entry = written[0]!;
  const builtAt = stamp?.output === entry ? stamp.startedAt : Math.min(...(written as number[]));
  const newest = await newestInput(root);
  if (newest && newest.time > builtAt) {
    return { current: false, reason: 'changed', changed: relative(root, newest.path) };
  }
  return { current: true };
}

/**
 * Runs `vite build` (no type declarations: the demo does not need them) and, once it has
 * succeeded, records when it started. Aborting `signal` stops the build.
 */
export async function buildWidget(root: string, signal: AbortSignal): Promise<void> {
  const startedAt = Date.now();
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
      signal,
      killSignal: 'SIGTERM',
    });
    child.once('error', reject);
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) throw new Error(`the widget build failed (vite exited with ${code})`);
  await recordWidgetBuild(root, startedAt);
}

/** Notes that the widget now in `dist/` was built from the inputs as of `startedAt`. */
export async function recordWidgetBuild(root: string, startedAt: number): Promise<void> {
  const output = await modifiedAt(join(root, 'dist', outputs[0]!));
  await mkdir(join(root, stampDir), { recursive: true });
  await writeFile(join(root, stampDir, stampFile), JSON.stringify({ startedAt, output }));
}

interface Stamp {
  startedAt: number;
  /** The modification time of `dist/im-chat.js` that build wrote, to tell a later one. */
  output: number;
}

async function readStamp(root: string): Promise<Stamp | null> {
  try {
    const stamp = JSON.parse(await readFile(join(root, stampDir, stampFile), 'utf8')) as Partial<Stamp>;
    return typeof stamp.startedAt === 'number' && typeof stamp.output === 'number'
      ? { startedAt: stamp.startedAt, output: stamp.output }
      : null;
  } catch {
    return null;
  }
}

async function newestInput(root: string): Promise<{ path: string; time: number } | null> {
  const sourceDir = join(root, 'src');
  const sources = (await readdir(sourceDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => !notBundled.has(relative(sourceDir, path).split(/[\\/]/)[0]!));
  const paths = [...rootInputs.map((file) => join(root, file)), ...sources];
  const times = await Promise.all(paths.map(modifiedAt));
  let newest: { path: string; time: number } | null = null;
  for (const [index, time] of times.entries()) {
    if (time !== null && (!newest || time > newest.time)) newest = { path: paths[index]!, time };
  }
  return newest;
}

async function modifiedAt(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return null;
  }
}
