/**
 * "Ack after a durable commit", checked rather than assumed: a killed process keeps the
 * page cache, so the crash tests cannot tell a written WAL from a synced one. Here the
 * real server entry runs under strace, which logs every fsync/fdatasync with its time,
 * and each acknowledged message must have had the WAL synced between its send and its ack.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectClient, type TestClient } from '../support/node/client.js';
import { MainProcess } from '../support/node/main-process.js';
import { createTempDir, type TempDir } from '../support/node/temp-dir.js';
import { mintToken } from '../support/node/tokens.js';

const messages = 20;

const straceFound = spawnSync('strace', ['-V'], { stdio: 'ignore' }).status === 0;
if (!straceFound) {
  console.warn(
    'Skipping the test that acks wait for the WAL to be synced: strace is not installed ' +
      '(apt-get install strace).',
  );
}

interface Sync {
  path: string;
  /** Seconds since the epoch, as strace's -ttt prints them. */
  start: number;
  end: number;
}

/** The file syncs in strace's output (-f -ttt -T -y); a call cut by another thread's is joined again. */
function parseSyncs(log: string): Sync[] {
  const syncs: Sync[] = [];
  const unfinished = new Map<string, { path: string; start: number }>();
  for (const line of log.split('\n')) {
    const whole = line.match(/^(\d+)\s+([\d.]+) f(?:data)?sync\(\d+<([^>]*)>\) = 0 <([\d.]+)>$/);
    if (whole) {
      const start = Number(whole[2]);
      syncs.push({ path: whole[3]!, start, end: start + Number(whole[4]) });
      continue;
    }
    const begun = line.match(/^(\d+)\s+([\d.]+) f(?:data)?sync\(\d+<([^>]*)> <unfinished \.\.\.>$/);
    if (begun) {
      unfinished.set(begun[1]!, { path: begun[3]!, start: Number(begun[2]) });
      continue;
    }
    const resumed = line.match(/^(\d+)\s+[\d.]+ <\.\.\. f(?:data)?sync resumed>\) = 0 <([\d.]+)>$/);
    const call = resumed && unfinished.get(resumed[1]!);
    if (call) syncs.push({ ...call, end: call.start + Number(resumed![2]) });
  }
  return syncs;
}

/** The server under the tracer: the tracer's only child. */
async function tracedServerPid(tracer: MainProcess): Promise<number> {
  const children = await readFile(`/proc/${tracer.pid}/task/${tracer.pid}/children`, 'utf8');
  return Number(children.trim().split(/\s+/)[0]);
}

describe.skipIf(!straceFound)('acks on the embedded SQLite storage', () => {
  let dataDir: TempDir | undefined;
  let tracer: MainProcess | undefined;
  let serverPid: number | undefined;
  const clients: TestClient[] = [];

  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    // Killing the tracer alone would leave the traced server running.
    if (serverPid) process.kill(serverPid, 'SIGKILL');
    await tracer?.stop();
    await dataDir?.remove();
    serverPid = undefined;
  });

  it('come only after the WAL holding the message was synced to disk', async () => {
    dataDir = await createTempDir();
    const trace = join(dataDir.path, 'syncs.log');
    const secret = randomBytes(24).toString('base64url');
    tracer = new MainProcess(
      { IM_PORT: '0', IM_HOST: '127.0.0.1', IM_DATA_DIR: dataDir.path, IM_JWT_SECRET: secret },
      [],
      ['strace', '-f', '--seccomp-bpf', '-e', 'trace=fsync,fdatasync', '-e', 'signal=none',
        '-ttt', '-T', '-y', '-o', trace],
    );
    const [, port] = await tracer.waitForLine(/listening on http:\/\/[^:/\s]+:(\d+)/);
    serverPid = await tracedServerPid(tracer);
    const connect = async (sub: string) => {
      const token = await mintToken(new TextEncoder().encode(secret), { sub });
      const client = await connectClient(`http://127.0.0.1:${port}`, token);
      clients.push(client);
      return client;
    };
    await connect('bob');
    const alice = await connect('alice');
    const { conversation } = await alice.ok('conversation:start', { userId: 'bob' });

    // One at a time, as an outbox sends: each message is its own commit. Date.now() reads
    // the clock strace reads; rounding widens each window by under a millisecond.
    const windows: { sentAt: number; ackedBy: number }[] = [];
    for (let i = 0; i < messages; i++) {
      const sentAt = Date.now() / 1000;
      await alice.ok('message:send', {
        conversationId: conversation.id,
        clientId: `durable-${i}`,
        body: { type: 'text', text: `message ${i}` },
      });
      windows.push({ sentAt, ackedBy: (Date.now() + 1) / 1000 });
    }
    for (const client of clients.splice(0)) client.close();
    process.kill(serverPid, 'SIGTERM');
    await tracer.exitCode();
    serverPid = undefined;

    const walSyncs = parseSyncs(await readFile(trace, 'utf8')).filter(
      (sync) => sync.path.startsWith(dataDir!.path) && sync.path.endsWith('-wal'),
    );
    expect(walSyncs.filter((sync) => sync.start >= windows[0]!.sentAt).length).toBeGreaterThanOrEqual(messages);
    const unsynced = windows
      .map((window, index) => ({ index, ...window }))
      .filter(({ sentAt, ackedBy }) => !walSyncs.some((sync) => sync.start >= sentAt && sync.end <= ackedBy));
    expect(unsynced, 'acks that no WAL sync preceded').toEqual([]);
  });
});
