import type { CachedConversation } from '../../client/index.js';
import type { Receipt } from '../../protocol/index.js';
import type { Receipt as ShownReceipt } from './message-item.js';

/**
 * What the user's own message at a seq shows about the others: sent, delivered or read
 * by the peer of a single chat; "read by N" in a group (N from the members' read
 * positions, when the server shares them).
 */
export function receiptReader(
  conversation: CachedConversation,
  receipts: readonly Receipt[],
  me: string,
): (seq: number) => ShownReceipt | null {
  const others = receipts.filter((receipt) => receipt.userId !== me);
  if (others.length === 0) return () => null;
  if (conversation.type === 'single') return singleReceipt(others[0]!);
  if (conversation.type === 'support') {
    // The customer's message is read once someone of the team read it; an agent's, once
    // the customer did. Other agents' reading is the team's business.
    const customerId = conversation.case?.customerId;
    const relevant = conversation.role === 'customer' ? others : others.filter((r) => r.userId === customerId);
    if (relevant.length === 0) return () => null;
    return singleReceipt({
      deliveredSeq: Math.max(...relevant.map((r) => r.deliveredSeq)),
      readSeq: Math.max(...relevant.map((r) => r.readSeq)),
    });
  }
  const readSeqs = others.map((receipt) => receipt.readSeq).sort((a, b) => a - b);
  return (seq) => ({ kind: 'group', readBy: readSeqs.length - firstAtLeast(readSeqs, seq) });
}

function singleReceipt(peer: Pick<Receipt, 'deliveredSeq' | 'readSeq'>): (seq: number) => ShownReceipt {
  return (seq) => ({
    kind: 'single',
    state: peer.readSeq >= seq ? 'read' : peer.deliveredSeq >= seq ? 'delivered' : 'sent',
  });
}

/** Index of the first value >= `target` in an ascending array (its length if none). */
function firstAtLeast(sorted: readonly number[], target: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]! < target) low = middle + 1;
    else high = middle;
  }
  return low;
}
