import type { StatementCount } from '../../src/server/storage/statement-count.js';
import { sampleMemory, sampleUsage, tellParent, type ToTarget } from './ipc.js';

export interface RunningTarget {
  port: number;
  /** What its storage has run; none for a target without one. */
  statements?(): StatementCount;
  close(): Promise<void>;
}

/**
 * Runs a benchmark target in this child process: reports its port, answers usage
 * questions, and closes cleanly (so that `--cpu-prof` can write its profile) when the
 * orchestrator says stop or goes away.
 */
export async function serveTarget(start: () => Promise<RunningTarget>): Promise<void> {
  let target: RunningTarget;
  try {
    target = await start();
  } catch (error) {
    console.error('bench target failed to start:', error);
    process.exit(1);
  }

  let stopping: Promise<void> | null = null;
  const stop = (exitCode: number) => {
    stopping ??= target.close().finally(() => process.exit(exitCode));
  };
  process.on('message', (message: ToTarget) => {
    if (message.type === 'usage') void tellParent({ type: 'usage', usage: sampleUsage() });
    else if (message.type === 'memory') void tellParent({ type: 'memory', memory: sampleMemory() });
    else if (message.type === 'statements') {
      const none = { statements: 0, transactions: 0 };
      void tellParent({ type: 'statements', count: target.statements?.() ?? none });
    } else stop(0);
  });
  process.once('disconnect', () => stop(1));
  // A Ctrl-C reaches the whole process group; the orchestrator cleans up after us.
  process.once('SIGINT', () => stop(130));
  await tellParent({ type: 'listening', port: target.port });
}
