/**
 * How storage is composed: one object per area (groups, messages, support, …), each with
 * what it reads and what it writes as separate objects. The reads may run on a read-only
 * connection or a replica (the SQLite worker runs them on the event loop's own connection);
 * the writes go to the one that writes. The routing follows the object, not method names.
 */
import type { AccountStorage } from './accounts/contract.js';
import type { FileStorage } from './files/contract.js';
import type { IdempotencyStorage } from './idempotency/contract.js';
import type { GroupStorage } from './groups/contract.js';
import type { PresenceStorage } from './presence/contract.js';
import type { PushStorage } from './push/contract.js';
import type { SearchStorage } from './search/contract.js';
import type { WebhookStorage } from './webhooks/contract.js';
import type { SupportStorage } from './support/contract.js';
import type { ConversationStorage } from './conversations/contract.js';
import type { MessageStorage } from './messages/contract.js';
import type { ReadStateStorage } from './reads/contract.js';

export interface StorageArea<Reads extends object, Writes extends object> {
  readonly read: Reads;
  readonly write: Writes;
}

/** The areas a Storage has, by name. */
export interface StorageAreas {
  presence: PresenceStorage;
  accounts: AccountStorage;
  files: FileStorage;
  push: PushStorage;
  webhooks: WebhookStorage;
  idempotency: IdempotencyStorage;
  search: SearchStorage;
  support: SupportStorage;
  groups: GroupStorage;
  conversations: ConversationStorage;
  messages: MessageStorage;
  reads: ReadStateStorage;
}

/** Every key of StorageAreas (checked by the compiler both ways), for code that routes them. */
export const storageAreaNames = [
  'presence',
  'accounts',
  'files',
  'push',
  'webhooks',
  'idempotency',
  'search',
  'support',
  'groups',
  'conversations',
  'messages',
  'reads',
] as const satisfies readonly (keyof StorageAreas)[];
type Unlisted = Exclude<keyof StorageAreas, (typeof storageAreaNames)[number]>;
// A compile error here names an area missing from storageAreaNames.
const everyAreaListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyAreaListed;
