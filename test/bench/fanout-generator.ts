/**
 * The fan-out benchmark's clients, in their own process: connects the members, makes the
 * group when told to, then sends one message at a time and times how long it takes to
 * reach the last member.
 */
import { mintToken } from '../support/node/tokens.js';
import { withTimeout } from '../support/node/wait.js';
import { command, connectSocket, inBatches, type BenchSocket } from './bench-socket.js';
import { readConfig, tellParent } from './ipc.js';

export interface FanoutConfig {
  url: string;
  secretHex: string;
  members: number;
  sends: number;
}

export type ToFanout = { type: 'group' } | { type: 'send' } | { type: 'stop' };
export type FromFanout =
  | { type: 'connected' }
  | { type: 'grouped' }
  | { type: 'sent'; lastMemberMs: number[]; ackMs: number[] };

const connectBatch = 100;
const deliveryTimeoutMs = 60_000;
const membersPerCall = 200;

const sockets: BenchSocket[] = [];

async function run(config: FanoutConfig): Promise<void> {
  const secret = Buffer.from(config.secretHex, 'hex');
  const connect = async (userId: string) =>
    connectSocket(config.url, await mintToken(secret, { sub: userId, name: userId }));
  const owner = await connect('fanout-owner');
  sockets.push(owner);
  const memberIds = Array.from({ length: config.members - 1 }, (_, i) => `fanout-${String(i).padStart(5, '0')}`);
  const members: BenchSocket[] = [];
  await inBatches(memberIds, connectBatch, async (userId, index) => {
    members[index] = await connect(userId);
    sockets.push(members[index]!);
  });
  await tellParent<FromFanout>({ type: 'connected' });
  await instruction('group');

  const { conversation } = await command(owner, 'group:create', { name: 'Fan-out', memberIds: [] });
  for (let start = 0; start < memberIds.length; start += membersPerCall) {
    const userIds = memberIds.slice(start, start + membersPerCall);
    await command(owner, 'group:add-members', { conversationId: conversation.id, userIds });
  }
  await tellParent<FromFanout>({ type: 'grouped' });
  await instruction('send');

  const lastMemberMs: number[] = [];
  const ackMs: number[] = [];
  for (let send = 0; send < config.sends; send++) {
    const clientId = `fanout-message-${send}`.padEnd(12, '-');
    let waiting = members.length;
    const allReceived = new Promise<void>((resolve) => {
      for (const member of members) {
        const onMessage = (message: { clientId: string }) => {
          if (message.clientId !== clientId) return;
          member.off('message:new', onMessage);
          if (--waiting === 0) resolve();
        };
        member.on('message:new', onMessage);
      }
    });
    const started = performance.now();
    await command(owner, 'message:send', {
      conversationId: conversation.id,
      clientId,
      body: { type: 'text', text: 'One message to every member of the group.' },
    });
    ackMs.push(performance.now() - started);
    await withTimeout(allReceived, deliveryTimeoutMs, `message ${send} to reach all ${members.length} members`);
    lastMemberMs.push(performance.now() - started);
  }
  await tellParent<FromFanout>({ type: 'sent', lastMemberMs, ackMs });
}

const instructions: ToFanout[] = [];
const waiters = new Set<() => void>();
process.on('message', (message: ToFanout) => {
  if (message.type === 'stop') exit(0);
  instructions.push(message);
  for (const wake of waiters) wake();
});

/** The orchestrator's go-ahead for the next step. */
function instruction(type: ToFanout['type']): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      const index = instructions.findIndex((message) => message.type === type);
      if (index === -1) return;
      instructions.splice(index, 1);
      waiters.delete(check);
      resolve();
    };
    waiters.add(check);
    check();
  });
}

function exit(code: number): never {
  for (const socket of sockets) socket.disconnect();
  process.exit(code);
}

process.once('disconnect', () => exit(1));
run(readConfig<FanoutConfig>()).then(
  () => undefined,
  (error: unknown) => {
    console.error('fan-out generator failed:', error);
    exit(1);
  },
);
