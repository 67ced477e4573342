/**
 * The catch-up benchmark's clients, in their own process: a reader in chats with many
 * peers syncs once and goes away; the peers send; the reader comes back and syncs as a
 * client does (changed conversations after its cursor, then each one's messages after
 * the newest seq it had), and the time from reconnecting to holding every message is
 * measured.
 */
import type { Message } from '../../src/protocol/index.js';
import { mintToken } from '../support/node/tokens.js';
import { command, connectSocket, inBatches, type BenchSocket } from './bench-socket.js';
import { readConfig, tellParent } from './ipc.js';

export interface CatchUpConfig {
  /** Peers connect to the first, the reader to the last (the other process, when two). */
  urls: string[];
  secretHex: string;
  messages: number;
  conversations: number;
  rounds: number;
}

export type FromCatchUp = { type: 'result'; syncMs: number[] };

/** Conversations whose history is fetched at once, as a client would pace it. */
const parallelHistories = 8;
const historyPage = 100;
const syncPage = 500;

const sockets = new Set<BenchSocket>();

async function run(config: CatchUpConfig): Promise<number[]> {
  const secret = Buffer.from(config.secretHex, 'hex');
  const connect = async (url: string, userId: string) => {
    const socket = await connectSocket(url, await mintToken(secret, { sub: userId, name: userId }));
    sockets.add(socket);
    return socket;
  };
  const readerUrl = config.urls.at(-1)!;
  const peerIds = Array.from({ length: config.conversations }, (_, i) => `catch-up-peer-${i}`);
  const peers = await Promise.all(peerIds.map((peerId) => connect(config.urls[0]!, peerId)));
  let reader = await connect(readerUrl, 'catch-up-reader');
  const conversationIds = await Promise.all(
    peers.map(async (peer) => (await command(peer, 'conversation:start', { userId: 'catch-up-reader' })).conversation.id),
  );
  const known = new Map(conversationIds.map((id) => [id, 0]));
  let cursor = (await sync(reader, null, known)).cursor;

  const syncMs: number[] = [];
  for (let round = 0; round < config.rounds; round++) {
    reader.disconnect();
    sockets.delete(reader);
    await inBatches(peers, peers.length, async (peer, index) => {
      const share = Math.floor(config.messages / peers.length) + (index < config.messages % peers.length ? 1 : 0);
      for (let i = 0; i < share; i++) {
        await command(peer, 'message:send', {
          conversationId: conversationIds[index]!,
          clientId: `round${round}-peer${index}-${i}`,
          body: { type: 'text', text: `message ${i} of round ${round}` },
        });
      }
    });
    const started = performance.now();
    reader = await connect(readerUrl, 'catch-up-reader');
    const synced = await sync(reader, cursor, known);
    const fetched = await fetchHistories(reader, synced.changed, known);
    syncMs.push(performance.now() - started);
    if (fetched !== config.messages) {
      throw new Error(`caught up on ${fetched} messages, ${config.messages} were sent`);
    }
    cursor = synced.cursor;
  }
  return syncMs;
}

/** Pages through the changed conversations; returns the cursor and what changed. */
async function sync(reader: BenchSocket, from: string | null, known: Map<string, number>) {
  const changed = new Map<string, number>();
  let cursor = from;
  for (let page = 0; page < 1000; page++) {
    const result = await command(reader, 'conversation:sync', { cursor, limit: syncPage });
    for (const conversation of result.conversations) {
      if (conversation.lastSeq > (known.get(conversation.id) ?? 0)) changed.set(conversation.id, conversation.lastSeq);
    }
    cursor = result.cursor;
    if (!result.hasMore) break;
  }
  return { cursor: cursor!, changed };
}

/** Fetches each changed conversation's messages after the newest seq held, checking for gaps. */
async function fetchHistories(reader: BenchSocket, changed: Map<string, number>, known: Map<string, number>) {
  let fetched = 0;
  await inBatches([...changed], parallelHistories, async ([conversationId, lastSeq]) => {
    let afterSeq = known.get(conversationId) ?? 0;
    while (afterSeq < lastSeq) {
      const page = await command(reader, 'message:history', { conversationId, afterSeq, limit: historyPage });
      if (page.messages.length === 0) throw new Error(`no messages after ${afterSeq} in ${conversationId}`);
      page.messages.forEach((message: Message, index) => {
        if (message.seq !== afterSeq + index + 1) throw new Error(`a gap before seq ${message.seq}`);
      });
      afterSeq = page.messages.at(-1)!.seq;
      fetched += page.messages.length;
    }
    known.set(conversationId, afterSeq);
  });
  return fetched;
}

function exit(code: number): never {
  for (const socket of sockets) socket.disconnect();
  process.exit(code);
}

process.once('disconnect', () => exit(1));
process.on('message', (message: { type: string }) => {
  if (message.type === 'stop') exit(0);
});
run(readConfig<CatchUpConfig>()).then(
  (syncMs) => tellParent<FromCatchUp>({ type: 'result', syncMs }),
  (error: unknown) => {
    console.error('catch-up clients failed:', error);
    exit(1);
  },
);
