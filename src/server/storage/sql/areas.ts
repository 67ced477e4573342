import { sqlAccounts } from '../accounts/sql.js';
import type { StorageAreas } from '../area.js';
import { sqlConversations } from '../conversations/sql.js';
import { sqlFiles } from '../files/sql.js';
import { sqlGroups } from '../groups/sql.js';
import { sqlIdempotency } from '../idempotency/sql.js';
import { sqlPresence } from '../presence/sql.js';
import { sqlPush } from '../push/sql.js';
import { sqlReadState } from '../reads/sql.js';
import { sqlSearch } from '../search/sql.js';
import { sqlSupport } from '../support/sql.js';
import { sqlWebhooks } from '../webhooks/sql.js';
import type { SqlDatabase } from './sql.js';

/** Every area but messages, written once: what both backends compose on their database. */
export type SqlAreas = Omit<StorageAreas, 'messages'>;

export function sqlAreas(db: SqlDatabase): SqlAreas {
  return {
    accounts: sqlAccounts(db),
    conversations: sqlConversations(db),
    files: sqlFiles(db),
    groups: sqlGroups(db),
    idempotency: sqlIdempotency(db),
    presence: sqlPresence(db),
    push: sqlPush(db),
    reads: sqlReadState(db),
    search: sqlSearch(db),
    support: sqlSupport(db),
    webhooks: sqlWebhooks(db),
  };
}
