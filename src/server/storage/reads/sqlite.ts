/** The read-state area on SQLite: delivered and read positions, receipts, readers. */
import type { Database } from 'better-sqlite3';
import type { Receipt } from '../../../protocol/index.js';
import { decideDelivered, decideRead, type ReadWrite } from '../../reads/decisions.js';
import { carryOut } from '../carry-out.js';
import type { SqliteConnection } from '../sqlite/connection.js';
import type { ReadStateStorage } from './contract.js';
import { positionSelect, toReadPosition, type PositionRow } from './position-row.js';

function prepare(db: Database) {
  return {
    position: db.prepare<[string, string], PositionRow>(`${positionSelect} WHERE m.conversation_id = ? AND m.user_id = ?`),
    setRead: db.prepare<[{ conversationId: string; userId: string; seq: number; version: number }], unknown>(`
      UPDATE conversation_members
      SET read_seq = @seq, delivered_seq = max(delivered_seq, @seq), marked_unread = 0, version = @version
      WHERE conversation_id = @conversationId AND user_id = @userId`),
    setDelivered: db.prepare<[{ conversationId: string; userId: string; seq: number }], unknown>(`
      UPDATE conversation_members SET delivered_seq = @seq
      WHERE conversation_id = @conversationId AND user_id = @userId`),
    receipts: db.prepare<[string], Omit<Receipt, 'conversationId'>>(`
      SELECT user_id AS userId, delivered_seq AS deliveredSeq, read_seq AS readSeq
      FROM conversation_members WHERE conversation_id = ? AND state = 'active'
      ORDER BY user_id`),
    readers: db
      .prepare<[{ conversationId: string; seq: number; senderId: string; limit: number }], string>(`
        SELECT user_id FROM conversation_members
        WHERE conversation_id = @conversationId AND state = 'active' AND user_id <> @senderId
          AND read_seq >= @seq
        ORDER BY user_id LIMIT @limit`)
      .pluck(),
    readerCounts: db.prepare<[{ conversationId: string; seq: number; senderId: string }], { audience: number; read_count: number }>(`
      SELECT count(*) AS audience, coalesce(sum(read_seq >= @seq), 0) AS read_count
      FROM conversation_members
      WHERE conversation_id = @conversationId AND state = 'active' AND user_id <> @senderId`),
  };
}
type Statements = ReturnType<typeof prepare>;

function apply(
  connection: SqliteConnection,
  sql: Statements,
  conversationId: string,
  userId: string,
  writes: readonly ReadWrite[],
): void {
  for (const write of writes) {
    if (write.kind === 'setRead') {
      sql.setRead.run({ conversationId, userId, seq: write.readSeq, version: connection.nextVersion() });
    } else {
      sql.setDelivered.run({ conversationId, userId, seq: write.deliveredSeq });
    }
  }
}

export function sqliteReadState(connection: SqliteConnection): ReadStateStorage {
  return {
    read: {
      async receipts(conversationId) {
        return connection.run(prepare, (sql) =>
          sql.receipts.all(conversationId).map((receipt) => ({ conversationId, ...receipt })),
        );
      },
      async readers(conversationId, { seq, senderId, limit }) {
        return connection.run(prepare, (sql) => {
          const counts = sql.readerCounts.get({ conversationId, seq, senderId })!;
          return {
            readCount: counts.read_count,
            readerIds: sql.readers.all({ conversationId, seq, senderId, limit }),
            audience: counts.audience,
          };
        });
      },
    },
    write: {
      async markRead(conversationId, userId, seq) {
        return connection.write(prepare, (sql) =>
          carryOut({
            load: () => toReadPosition(sql.position.get(conversationId, userId)),
            decide: (snapshot) => decideRead(snapshot, seq),
            apply: (writes, mark) => {
              apply(connection, sql, conversationId, userId, writes);
              return mark;
            },
          }),
        );
      },
      async markDelivered(conversationId, userId, seq) {
        return connection.write(prepare, (sql) =>
          carryOut({
            load: () => toReadPosition(sql.position.get(conversationId, userId)),
            decide: (snapshot) => decideDelivered(snapshot, seq),
            apply: (writes, mark) => {
              apply(connection, sql, conversationId, userId, writes);
              return mark;
            },
          }),
        );
      },
    },
  };
}
