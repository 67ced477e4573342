/**
 * The im-chat wire protocol. Types are safe to import anywhere; the zod schemas
 * (`schemas.ts`, `commands.ts`) are meant for servers and tests.
 */
export * from './ack.js';
export * from './errors.js';
export * from './events.js';
export * from './limits.js';
export type * from './schemas.js';
export * from './bidi.js';
export * from './bodies.js';
export * from './formatting.js';
export * from './history.js';
