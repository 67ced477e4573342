/**
 * Long conversation histories written straight into a client's cache, for tests and
 * benchmarks that need thousands of messages (the server's rate limit would take minutes).
 */
import type { ChatCache } from '../../../src/client/index.js';
import type { Message } from '../../../src/protocol/index.js';

export interface HistoryOptions {
  conversationId: string;
  /** Who wrote the message with this seq; see `takingTurns`. */
  senderOf: (seq: number) => string;
  count: number;
  /** The newest message's time; earlier ones are a minute apart, so days change on the way. */
  endAt?: number;
}

/** Two people writing in turns, a few messages each. */
export function takingTurns(first: string, second: string): (seq: number) => string {
  return (seq) => (Math.floor(seq / 3) % 2 === 0 ? first : second);
}

/** Messages with seqs 1..count, `message <seq>` as text, some of them several lines long. */
export function syntheticHistory({ conversationId, senderOf, count, endAt = Date.now() }: HistoryOptions): Message[] {
  return Array.from({ length: count }, (_, index) => {
    const seq = index + 1;
    const text = seq % 7 === 0 ? `message ${seq}\nwith a second line` : `message ${seq}`;
    return {
      id: `${conversationId}-m${seq}`,
      conversationId,
      seq,
      senderId: senderOf(seq),
      clientId: crypto.randomUUID(),
      body: { type: 'text', text },
      createdAt: endAt - (count - seq) * 60_000,
    };
  });
}

/** Writes the history in batches (one transaction each), like pages of history from the server. */
export async function seedHistory(cache: ChatCache, options: HistoryOptions): Promise<void> {
  const messages = syntheticHistory(options);
  for (let start = 0; start < messages.length; start += 1000) {
    await cache.applyMessages(messages.slice(start, start + 1000));
  }
}
