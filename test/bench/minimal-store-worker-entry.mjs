// The durable relay's storage thread. A thread does not inherit the loader its process
// runs TypeScript with, so it registers tsx for itself.
import { register } from 'tsx/esm/api';

register();
await import('./minimal-store-worker.ts');
