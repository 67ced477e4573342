/**
 * `npm start`: builds the widget if its sources changed since the last build, then runs
 * the server (`main.ts`, with this process's arguments) in this same process, so that
 * Ctrl+C or a SIGTERM sent to npm reaches the server itself.
 */
import { fileURLToPath } from 'node:url';
import { buildWidget, widgetBuildState } from './widget-build.js';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

async function ensureWidgetBuilt(): Promise<void> {
  const state = await widgetBuildState(repositoryRoot);
  if (state.current) {
    console.log('im-chat: the widget build is current (dist/)');
    return;
  }
  console.log(
    state.reason === 'missing'
      ? 'im-chat: building the widget into dist/ (first start)…'
      : `im-chat: rebuilding the widget into dist/ (${state.changed} changed)…`,
  );
  const started = Date.now();
  const abort = new AbortController();
  // Until the server takes over the signals, they stop the build and end the start.
  const stop = (signal: NodeJS.Signals) => {
    abort.abort();
    process.exitCode = signal === 'SIGINT' ? 130 : 143;
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await buildWidget(repositoryRoot, abort.signal);
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  console.log(`im-chat: built the widget in ${Math.round((Date.now() - started) / 1000)} s`);
}

ensureWidgetBuilt().then(
  () => import('../main.js'),
  (error: unknown) => {
    if (process.exitCode === undefined) {
      console.error(`im-chat: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
  },
);
