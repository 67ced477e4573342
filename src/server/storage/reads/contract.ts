/**
 * The read-state area of storage: how far each member got (delivered and read
 * positions), and who has read a message.
 */
import type { Receipt } from '../../../protocol/index.js';
import type { DeliveryMark, ReadMark } from '../../reads/decisions.js';
import type { StorageArea } from '../area.js';

export interface ReadersCount {
  readCount: number;
  readerIds: string[];
  /** Active members other than the sender. */
  audience: number;
}

export interface ReadStateReads {
  /** Every active member's delivered and read position. */
  receipts(conversationId: string): Promise<Receipt[]>;
  /** Active members other than `senderId` whose readSeq reached `seq`; up to `limit` ids. */
  readers(conversationId: string, input: { seq: number; senderId: string; limit: number }): Promise<ReadersCount>;
}

export interface ReadStateWrites {
  /**
   * readSeq := max(readSeq, min(seq, lastSeq)), lastSeq being a former member's leftSeq
   * for them; `changed` says whether it moved (the user's other connections hear of it
   * only then). `not_found` for someone who never belonged.
   */
  markRead(conversationId: string, userId: string, seq: number): Promise<ReadMark>;
  /** deliveredSeq := max(deliveredSeq, min(seq, visible lastSeq)); reading also moves it. */
  markDelivered(conversationId: string, userId: string, seq: number): Promise<DeliveryMark>;
}

export type ReadStateStorage = StorageArea<ReadStateReads, ReadStateWrites>;
