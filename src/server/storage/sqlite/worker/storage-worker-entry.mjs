// The storage worker's entry. A thread does not inherit the loader its process runs
// TypeScript with (tsx, or a test runner's transform), so it registers tsx for itself.
import { register } from 'tsx/esm/api';

register();
await import('./storage-worker.ts');
