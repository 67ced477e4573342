/** Input and environment for browser tests, the same in every engine (see test/support/wtr/input-plugin.ts). */
import { executeServerCommand } from '@web/test-runner-commands';

export type Engine = 'chromium' | 'firefox' | 'webkit';

/** The engine this test runs in, for assertions on an engine's own behaviour. */
export function engine(): Promise<Engine> {
  return executeServerCommand<Engine, undefined>('im-engine');
}

/** Presses keys together, as a person does: `Shift+F10`, `Control+k`, `Shift+Enter`. */
export async function pressChord(chord: string): Promise<void> {
  await executeServerCommand('im-keys', { chord });
}

/** Resizes the page's viewport (CSS pixels). */
export async function setViewport(width: number, height: number): Promise<void> {
  await executeServerCommand('im-viewport', { width, height });
}
