/**
 * One storage-benchmark run, alone in this process so that its CPU time (every thread)
 * and its disk writes are the store's: sets up the conversations, warms up, then appends
 * the measured messages in batches (each batch in flight at once, as the server's group
 * commit sees them under load), closes the store and checkpoints what is left in the
 * WAL, and reports CPU and bytes written per message.
 */
import { randomUUID } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { singleConversationId } from '../../src/server/conversation-id.js';
import { SqliteStorage } from '../../src/server/storage/sqlite/sqlite-storage.js';
import { openSqliteWorkerStorage } from '../../src/server/storage/sqlite/worker/sqlite-worker-storage.js';
import type { Storage } from '../../src/server/storage/storage.js';
import { readConfig, tellParent } from './ipc.js';
import { MinimalStore, type MinimalAppend } from './minimal-store.js';
import type { StorageChildConfig, StorageRun } from './storage-bench.js';

/** One message to append: a pair's conversation, one of the two as its sender. */
interface Append {
  conversationId: string;
  senderId: string;
  text: string;
}

/** A store under test: appends a batch, all in flight at once; resolves once all are durable. */
interface StoreUnderTest {
  /** The seq each append got; throws if any was refused or taken for a duplicate. */
  appendBatch(batch: readonly Append[]): Promise<number[]>;
  close(): Promise<void>;
}

async function open(config: StorageChildConfig, filename: string, users: string[][]): Promise<StoreUnderTest> {
  // The users and conversations are made once (a durable commit each), then copied.
  if (config.template) copyFileSync(config.template, filename);
  if (config.store === 'minimal') {
    const store = new MinimalStore(filename);
    return {
      async appendBatch(batch) {
        const inputs = batch.map((append): MinimalAppend => ({ ...append, clientId: randomUUID(), createdAt: Date.now() }));
        return store.commit(inputs).map(({ message, duplicate }) => {
          if (duplicate) throw new Error('a new clientId was taken for a duplicate');
          return message.seq;
        });
      },
      close: async () => store.close(),
    };
  }
  const storage: Storage & { close(): Promise<void> } =
    config.store === 'im-chat' ? new SqliteStorage({ filename }) : openSqliteWorkerStorage({ filename });
  await storage.migrate();
  // Through the storage's own API, as the server does when users sign in and start chats.
  const now = Date.now();
  for (const [first, second] of config.template ? [] : users) {
    for (const id of [first!, second!]) await storage.accounts.write.upsertUser({ id, name: id, avatar: null }, now);
    const id = singleConversationId(first!, second!);
    await storage.conversations.write.ensureSingle({ id, memberIds: [first!, second!], createdBy: first!, now });
  }
  return {
    async appendBatch(batch) {
      const results = await Promise.all(
        batch.map(({ conversationId, senderId, text }) =>
          storage.messages.write.append({
            conversationId,
            senderId,
            clientId: randomUUID(),
            body: { type: 'text', text },
            createdAt: Date.now(),
          }),
        ),
      );
      return results.map(({ message, duplicate }) => {
        if (duplicate) throw new Error('a new clientId was taken for a duplicate');
        return message.seq;
      });
    },
    close: () => storage.close(),
  };
}

/** Moves what the WAL holds into the database file (and empties the WAL): through SQLite, not the store. */
function checkpoint(filename: string): void {
  const db = new Database(filename);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

/** Bytes this process has had written to the disk (Linux), or null where that is not known. */
function bytesWritten(): number | null {
  try {
    const io = readFileSync('/proc/self/io', 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(io)?.[1]);
    const written = field('write_bytes') - field('cancelled_write_bytes');
    return Number.isFinite(written) ? written : null;
  } catch {
    return null;
  }
}

const words = (
  'the a to and of you I it is that in we for on be have this are with was not at but can do ' +
  'tomorrow meeting lunch call later thanks sure okay see send file photo price order ship box ' +
  'weekend train ticket flight hotel coffee dinner office report draft review plan budget team ' +
  'Ärger Grüße naïve 你好 明天 见面 ありがとう спасибо 🙂 👍 12 34 5:30 #42 https://example.com/x'
).split(' ');

/** Chat-like texts of about 100 characters, different each time, the same for every store (seeded). */
function textMaker(seed: number): () => string {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: fast, and the same sequence for every store.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state;
  };
  return () => {
    let text = '';
    while (text.length < 100) text += `${text ? ' ' : ''}${words[next() % words.length]}`;
    return text;
  };
}

async function run(config: StorageChildConfig): Promise<StorageRun | null> {
  const filename = join(config.dataDir, `${config.store}.sqlite`);
  const users = Array.from({ length: config.pairs }, (_, pair) => [`user-${pair}-a`, `user-${pair}-b`]);
  const store = await open(config, filename, users);
  if (config.messages === 0) {
    // Only the template: set up, and left with an empty WAL.
    await store.close();
    checkpoint(filename);
    return null;
  }
  const nextText = textMaker(config.batch);
  const lastSeq = new Map<string, number>();
  let appended = 0;
  const appendMessages = async (total: number) => {
    for (let done = 0; done < total; done += config.batch) {
      const batch = Array.from({ length: Math.min(config.batch, total - done) }, (): Append => {
        const [first, second] = users[appended % users.length]!;
        const senderId = Math.floor(appended / users.length) % 2 === 0 ? first! : second!;
        appended += 1;
        return { conversationId: singleConversationId(first!, second!), senderId, text: nextText() };
      });
      const seqs = await store.appendBatch(batch);
      // Gap-free, in order: a store that skipped or reused a seq is not measured.
      seqs.forEach((seq, index) => {
        const { conversationId } = batch[index]!;
        const expected = (lastSeq.get(conversationId) ?? 0) + 1;
        if (seq !== expected) throw new Error(`${conversationId}: seq ${seq}, expected ${expected}`);
        lastSeq.set(conversationId, seq);
      });
    }
  };

  await appendMessages(config.warmupMessages);
  checkpoint(filename);
  const cpuStart = process.cpuUsage();
  const bytesStart = bytesWritten();
  const start = performance.now();
  await appendMessages(config.messages);
  const appendSeconds = (performance.now() - start) / 1000;
  // Closing, then checkpointing what a reader left in the WAL: the writes each message owes.
  await store.close();
  checkpoint(filename);
  const cpu = process.cpuUsage(cpuStart);
  const bytesEnd = bytesWritten();
  const written = bytesStart === null || bytesEnd === null ? null : bytesEnd - bytesStart;
  return {
    store: config.store,
    batch: config.batch,
    messages: config.messages,
    cpuMicrosPerMessage: (cpu.user + cpu.system) / config.messages,
    bytesPerMessage: written === null ? null : written / config.messages,
    messagesPerSecond: config.messages / appendSeconds,
  };
}

// The orchestrator went away (Ctrl-C): nobody waits for the result.
process.once('disconnect', () => process.exit(1));
run(readConfig<StorageChildConfig>())
  .then((result) => tellParent({ type: 'result', result }))
  .then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('storage bench run failed:', error);
      process.exit(1);
    },
  );
