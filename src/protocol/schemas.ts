/**
 * Payload schemas: the single source of the wire format. The server validates every
 * inbound payload with them; the TypeScript types are inferred from them.
 *
 * Browser code imports only types from here (`import type`), so zod stays out of the
 * widget bundle.
 */
export * from './schemas/primitives.js';
export * from './schemas/messages.js';
export * from './schemas/conversations.js';
export * from './schemas/core.js';
export * from './schemas/groups.js';
export * from './schemas/invites.js';
export * from './schemas/actions.js';
export * from './schemas/files.js';
export * from './schemas/support-case.js';
export * from './schemas/support.js';
export * from './schemas/blocking.js';
