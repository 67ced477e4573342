/**
 * The durable relay as a benchmark target: the bare relay plus the minimal store on a
 * worker thread (SQLite, WAL, synchronous = FULL) in the target's fresh data directory;
 * a message is acked and relayed only after the commit that holds it.
 */
import { join } from 'node:path';
import { readConfig, type TargetConfig } from './ipc.js';
import { MinimalStoreThread } from './minimal-store-thread.js';
import { startRelay } from './relay.js';
import { serveTarget } from './target-child.js';

void serveTarget(() => {
  const config = readConfig<TargetConfig>();
  return startRelay(new MinimalStoreThread(join(config.dataDir, 'durable-relay.sqlite')));
});
