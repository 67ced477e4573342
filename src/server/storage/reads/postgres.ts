/** The read-state area on PostgreSQL: delivered and read positions, receipts, readers. */
import type { Receipt } from '../../../protocol/index.js';
import { decideDelivered, decideRead, type ReadPosition, type ReadWrite } from '../../reads/decisions.js';
import { carryOutAsync } from '../carry-out.js';
import type { PgDatabase, PgTransaction } from '../postgres/pg-database.js';
import type { ReadStateStorage } from './contract.js';
import { positionSelect, toReadPosition, type PositionRow } from './position-row.js';

/** The member's row is locked: two marks of one member apply one after the other. */
async function position(tx: PgTransaction, conversationId: string, userId: string): Promise<ReadPosition | null> {
  return toReadPosition(
    await tx.row<PositionRow>(`${positionSelect} WHERE m.conversation_id = $1 AND m.user_id = $2 FOR UPDATE OF m`, [
      conversationId,
      userId,
    ]),
  );
}

async function apply(tx: PgTransaction, conversationId: string, userId: string, writes: readonly ReadWrite[]): Promise<void> {
  for (const write of writes) {
    if (write.kind === 'setRead') {
      await tx.run(
        `UPDATE conversation_members
         SET read_seq = $3, delivered_seq = greatest(delivered_seq, $3), marked_unread = 0
         WHERE conversation_id = $1 AND user_id = $2`,
        [conversationId, userId, write.readSeq],
      );
      tx.touchMember(conversationId, userId);
    } else {
      await tx.run('UPDATE conversation_members SET delivered_seq = $3 WHERE conversation_id = $1 AND user_id = $2', [
        conversationId,
        userId,
        write.deliveredSeq,
      ]);
    }
  }
}

export function postgresReadState(db: PgDatabase): ReadStateStorage {
  return {
    read: {
      async receipts(conversationId) {
        const rows = await db.rows<Omit<Receipt, 'conversationId'>>(
          `SELECT user_id AS "userId", delivered_seq AS "deliveredSeq", read_seq AS "readSeq"
           FROM conversation_members WHERE conversation_id = $1 AND state = 'active'
           ORDER BY user_id`,
          [conversationId],
        );
        return rows.map((receipt) => ({ conversationId, ...receipt }));
      },
      // In one statement: the counts and the first readers agree.
      async readers(conversationId, { seq, senderId, limit }) {
        const row = (await db.row<{ audience: number; read_count: number; reader_ids: string[] }>(
          `SELECT count(*) AS audience, count(*) FILTER (WHERE read_seq >= $2) AS read_count,
             coalesce((array_agg(user_id ORDER BY user_id) FILTER (WHERE read_seq >= $2))[1:$4], '{}')
               AS reader_ids
           FROM conversation_members
           WHERE conversation_id = $1 AND state = 'active' AND user_id <> $3`,
          [conversationId, seq, senderId, limit],
        ))!;
        return { readCount: row.read_count, readerIds: row.reader_ids, audience: row.audience };
      },
    },
    write: {
      markRead: (conversationId, userId, seq) =>
        db.transaction((tx) =>
          carryOutAsync({
            load: () => position(tx, conversationId, userId),
            decide: (snapshot) => decideRead(snapshot, seq),
            apply: async (writes, mark) => {
              await apply(tx, conversationId, userId, writes);
              return mark;
            },
          }),
        ),
      markDelivered: (conversationId, userId, seq) =>
        db.transaction((tx) =>
          carryOutAsync({
            load: () => position(tx, conversationId, userId),
            decide: (snapshot) => decideDelivered(snapshot, seq),
            apply: async (writes, mark) => {
              await apply(tx, conversationId, userId, writes);
              return mark;
            },
          }),
        ),
    },
  };
}
