import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { BlobStore } from '../files/blob-store.js';
import type { MembershipCache } from '../membership.js';
import type { Storage } from '../storage/storage.js';
import type { Webhooks } from '../webhooks/webhooks.js';
import type { Timeline } from './timeline.js';

/**
 * What the domain services are built from. They hold the rules that socket commands and
 * the admin API share; the transports only validate, authenticate and answer.
 */
export interface DomainDeps {
  /** Where committed changes reach the connections they concern. */
  fanOut: FanOut;
  storage: Storage;
  membership: MembershipCache;
  clock: Clock;
  timeline: Timeline;
  webhooks: Webhooks;
  logger: FastifyBaseLogger;
  /** Where uploads are kept, if the server takes them: erasing a user removes their files. */
  blobs?: BlobStore;
}
