/**
 * Serves the support loader at `/im-chat-loader.js` as the build ships it: one classic
 * script (an IIFE), built from the source on first request, so that browser tests load
 * it with a `<script>` tag as a page does.
 */
import { fileURLToPath } from 'node:url';
import type { TestRunnerPlugin } from '@web/test-runner-core';
import { build, type Rolldown } from 'vite';
import viteConfig from '../../../vite.config.js';

export const loaderPath = '/im-chat-loader.js';
const entry = fileURLToPath(new URL('../../../src/loader/im-chat-loader.ts', import.meta.url));

export function loaderPlugin(): TestRunnerPlugin<unknown> {
  let code: Promise<string> | null = null;
  return {
    name: 'im-chat-loader',
    serve(context) {
      if (context.path !== loaderPath) return undefined;
      code ??= bundle();
      return code.then((body) => ({ body, type: 'js' }));
    },
  };
}

async function bundle(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'warn',
    mode: 'production',
    resolve: viteConfig.resolve,
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry, formats: ['iife'], name: 'ImChatLoader', fileName: () => 'im-chat-loader.js' },
    },
  });
  const outputs = (Array.isArray(output) ? output : [output]) as Rolldown.RolldownOutput[];
  return outputs[0]!.output[0].code;
}
