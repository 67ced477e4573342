/** The read-state area on either backend: delivered and read positions, receipts, readers. */
import type { Receipt } from '../../../protocol/index.js';
import { decideDelivered, decideRead, type ReadPosition, type ReadWrite } from '../../reads/decisions.js';
import type { Decision } from '../../decision.js';
import { carryOut } from '../carry-out.js';
import { greatest, jsonArrayOf, lock, sql, type SqlDatabase, type SqlTransaction } from '../sql/sql.js';
import type { ReadStateStorage } from './contract.js';
import { positionSelect, toReadPosition, type PositionRow } from './position-row.js';

// The member's row is locked: two marks of one member apply one after the other.
const position = sql`${positionSelect} WHERE m.conversation_id = $1 AND m.user_id = $2 ${lock('FOR UPDATE OF m')}`;

const setRead = sql`
  UPDATE conversation_members
  SET read_seq = $3, delivered_seq = ${greatest}(delivered_seq, $3), marked_unread = 0
  WHERE conversation_id = $1 AND user_id = $2`;

// In one statement: the counts and the first readers agree.
const readers = sql`
  SELECT count(*) AS audience, count(CASE WHEN read_seq >= $2 THEN 1 END) AS read_count,
    (SELECT ${jsonArrayOf('user_id ORDER BY user_id')}
     FROM (SELECT user_id FROM conversation_members
       WHERE conversation_id = $1 AND state = 'active' AND user_id <> $3 AND read_seq >= $2
       ORDER BY user_id LIMIT $4) AS first_readers) AS reader_ids
  FROM conversation_members
  WHERE conversation_id = $1 AND state = 'active' AND user_id <> $3`;

async function apply(tx: SqlTransaction, conversationId: string, userId: string, writes: readonly ReadWrite[]): Promise<void> {
  for (const write of writes) {
    if (write.kind === 'setRead') {
      await tx.run(setRead, [conversationId, userId, write.readSeq]);
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

export function sqlReadState(db: SqlDatabase): ReadStateStorage {
  /** The member's positions loaded, the decision, its writes: in one transaction. */
  const mark = <Mark>(conversationId: string, userId: string, decide: (snapshot: ReadPosition | null) => Decision<ReadWrite, Mark>) =>
    db.transaction((tx) =>
      carryOut({
        load: async () => toReadPosition(await tx.row<PositionRow>(position, [conversationId, userId])),
        decide,
        apply: async (writes, result) => {
          await apply(tx, conversationId, userId, writes);
          return result;
        },
      }),
    );

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
      async readers(conversationId, { seq, senderId, limit }) {
        const row = (await db.row<{ audience: number; read_count: number; reader_ids: string }>(readers, [
          conversationId,
          seq,
          senderId,
          limit,
        ]))!;
        return { readCount: row.read_count, readerIds: JSON.parse(row.reader_ids) as string[], audience: row.audience };
      },
    },
    write: {
      markRead: (conversationId, userId, seq) => mark(conversationId, userId, (snapshot) => decideRead(snapshot, seq)),
      markDelivered: (conversationId, userId, seq) =>
        mark(conversationId, userId, (snapshot) => decideDelivered(snapshot, seq)),
    },
  };
}
