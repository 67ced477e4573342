#!/usr/bin/env node
// `npx im-chat-server [--demo]`: runs the reference server (settings: `readConfig` in config.ts).
// The published package runs its bundle; in the repository the TypeScript sources run through tsx.
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/main.js', import.meta.url);
if (existsSync(bundle)) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../main.ts');
}
