import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { EventStream } from '../events/event-stream.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { BlobStore } from '../files/blob-store.js';
import type { MembershipCache } from '../membership.js';
import type { Storage } from '../storage/storage.js';

/**
 * What the domain services are built from. They hold the rules that socket commands and
 * the admin API share; the transports only validate, authenticate and answer.
 */
export interface DomainDeps {
  /** Where connections join and leave conversations, and sessions end. */
  fanOut: FanOut;
  /** Where what committed is published: to connections, webhooks and pushes alike. */
  events: EventStream;
  storage: Storage;
  membership: MembershipCache;
  clock: Clock;
  logger: FastifyBaseLogger;
  /** Where uploads are kept, if the server takes them: erasing a user removes their files. */
  blobs?: BlobStore;
}
