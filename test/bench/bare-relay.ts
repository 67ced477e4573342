/** The bare relay as a benchmark target: socket.io and memory, nothing stored (relay.ts). */
import { startRelay } from './relay.js';
import { serveTarget } from './target-child.js';

void serveTarget(() => startRelay(null));
