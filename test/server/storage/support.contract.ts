/**
 * The storage contract for support: agents, visitors, cases. Part of
 * `describeStorageContract`, storage-agnostic like the rest of it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Message, SupportConversation, User } from '../../../src/protocol/index.js';
import { Message as MessageSchema, SupportConversation as SupportSchema } from '../../../src/protocol/schemas.js';
import type { Storage } from '../../../src/server/storage/storage.js';
import type { OpenCase } from '../../../src/server/support/case-decisions.js';

const sam: User = { id: 'sam', name: 'Sam', avatar: null };
const kim: User = { id: 'kim', name: 'Kim', avatar: 'https://example.com/kim.png' };
const page = (path: string) => ({ url: `https://shop.example${path}`, title: `Page ${path}` });

export function describeSupportContract(context: {
  readonly storage: Storage;
  openSameData(): Promise<Storage>;
}): void {
  describe('support', () => defineSupportContract(context));
}

function defineSupportContract(context: { readonly storage: Storage; openSameData(): Promise<Storage> }): void {
  let storage: Storage;
  let clientIds = 0;
  beforeEach(async () => {
    storage = context.storage;
    clientIds = 0;
    for (const user of [sam, kim]) await storage.accounts.write.upsertUser(user, 1000);
    await storage.support.write.grantAgentRole(['sam', 'kim', 'pat'], 1000);
  });

  const open = (customerId: string, overrides: Partial<OpenCase & { now: number }> = {}) =>
    storage.support.write.ensureSupportConversation({
      conversationId: `t-${customerId}`,
      customerId,
      name: 'Support',
      page: null,
      context: null,
      email: null,
      now: 2000,
      ...overrides,
    });
  const send = (conversationId: string, senderId: string, text = `message ${clientIds}`) =>
    storage.messages.write.append({
      conversationId,
      senderId,
      clientId: `support-client-${++clientIds}`,
      body: { type: 'text', text },
      createdAt: 3000 + clientIds,
    });
  const view = async (conversationId: string, userId: string) =>
    (await storage.conversations.read.view(conversationId, userId)) as SupportConversation | null;
  const kinds = async (conversationId: string) =>
    (await storage.messages.read.history(conversationId, { afterSeq: 0, limit: 100 })).messages.map((message: Message) =>
      message.body.type === 'system' ? message.body.event.kind : message.body.type,
    );

  it('keeps the agent role, whether the user exists yet or not', async () => {
    expect((await storage.support.read.listAgentIds()).sort()).toEqual(['kim', 'pat', 'sam']);
    expect(await storage.support.read.isAgent('pat')).toBe(true);
    expect(await storage.support.read.isAgent('alice')).toBe(false);
    await storage.support.write.grantAgentRole(['sam'], 5000);
    expect((await storage.support.read.listAgentIds()).sort()).toEqual(['kim', 'pat', 'sam']);
  });

  it('numbers visitors and keeps only the hash of their secret', async () => {
    const first = await storage.support.write.createVisitor({ id: 'v_one', secretHash: 'hash-1', now: 1000 });
    const second = await storage.support.write.createVisitor({ id: 'v_two', secretHash: 'hash-2', now: 1000 });
    expect(second.number).toBe(first.number + 1);
    expect(await storage.support.read.getVisitor('v_one')).toEqual({ id: 'v_one', number: first.number, secretHash: 'hash-1', claimedBy: null });
    expect(await storage.accounts.read.users(['v_two'])).toEqual([{ id: 'v_two', name: `Visitor #${second.number}`, avatar: null }]);
    expect(await storage.support.read.getVisitor('v_none')).toBeNull();
    const secret = await storage.support.write.visitorTokenSecret();
    expect(secret.length).toBe(32);
    expect(await (await context.openSameData()).support.write.visitorTokenSecret()).toEqual(secret);
  });

  it('opens one case per customer, with every existing agent in it and the case for agents only', async () => {
    const [first, second] = await Promise.all([open('alice', { page: page('/lamp'), context: { sku: 'L1' } }), open('alice', { conversationId: 't-other' })]);
    expect(second.record.conversationId).toBe(first.record.conversationId);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    const id = first.record.conversationId;
    expect((await storage.conversations.read.memberIds(id)).sort()).toEqual(['alice', 'kim', 'sam']);
    expect(first.record).toMatchObject({ customerId: 'alice', status: 'open', assigneeId: null, awayNotified: false, page: page('/lamp'), context: { sku: 'L1' } });

    const customerView = await view(id, 'alice');
    expect(SupportSchema.safeParse(customerView).success).toBe(true);
    expect(customerView).toMatchObject({ type: 'support', name: 'Support', role: 'customer', case: null, assigneeId: null });
    const agentView = await view(id, 'sam');
    expect(agentView).toMatchObject({ role: 'agent', case: { customerId: 'alice', status: 'open', page: page('/lamp'), visitorNumber: null } });
    expect((await storage.support.read.latestCaseOf('alice'))?.conversationId).toBe(id);
    await expect(open('sam')).rejects.toMatchObject({ code: 'forbidden' });
    await expect(open('nobody')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists a case to agents once it has a message, as any conversation', async () => {
    const { record } = await open('alice');
    expect((await storage.conversations.read.changes('sam', null, 100)).conversations).toEqual([]);
    expect((await storage.conversations.read.changes('alice', null, 100)).conversations.map((c) => c.id)).toEqual([record.conversationId]);
    await send(record.conversationId, 'alice', 'Hello');
    const listed = await storage.conversations.read.changes('sam', null, 100);
    expect(listed.conversations).toEqual([expect.objectContaining({ id: record.conversationId, unreadCount: 1, role: 'agent' })]);
  });

  it('brings an agent who arrives later into the open cases only', async () => {
    const openCase = (await open('alice')).record.conversationId;
    const closedCase = (await open('bob')).record.conversationId;
    await storage.support.write.setCaseStatus({ conversationId: closedCase, status: 'resolved', by: 'sam', now: 2500 });
    await storage.accounts.write.upsertUser({ id: 'pat', name: 'Pat', avatar: null }, 2600);
    expect(await storage.support.write.joinOpenCases('pat', 2700)).toEqual([openCase]);
    expect(await storage.support.write.joinOpenCases('pat', 2800)).toEqual([]);
    expect(await storage.conversations.read.memberIds(openCase)).toContain('pat');
    expect(await storage.conversations.read.memberIds(closedCase)).not.toContain('pat');
    expect(await storage.support.write.joinOpenCases('alice', 2900)).toEqual([]);
  });

  it('assigns with a timeline event carrying the agent, and only once when racing', async () => {
    const id = (await open('alice')).record.conversationId;
    await send(id, 'alice');
    const [routed, raced] = await Promise.all([
      storage.support.write.assignCase({ conversationId: id, agentId: 'sam', by: null, onlyIfUnassigned: true, now: 4000 }),
      storage.support.write.assignCase({ conversationId: id, agentId: 'kim', by: null, onlyIfUnassigned: true, now: 4000 }),
    ]);
    expect([routed.changed, raced.changed].sort()).toEqual([false, true]);
    const winner = routed.changed ? routed : raced;
    expect(winner.events).toHaveLength(1);
    expect(MessageSchema.safeParse(winner.events[0]).success).toBe(true);
    const agentId = winner.case.assigneeId!;
    expect(winner.events[0]).toMatchObject({ seq: 2, senderId: agentId, body: { type: 'system', event: { kind: 'support.agent-joined', agent: { id: agentId } } } });

    const again = await storage.support.write.assignCase({ conversationId: id, agentId, by: 'kim', onlyIfUnassigned: false, now: 4100 });
    expect(again).toMatchObject({ changed: false, events: [] });
    const other = agentId === 'sam' ? 'kim' : 'sam';
    const transfer = await storage.support.write.assignCase({ conversationId: id, agentId: other, by: agentId, onlyIfUnassigned: false, now: 4200 });
    expect(transfer.case.assigneeId).toBe(other);
    await expect(storage.support.write.assignCase({ conversationId: id, agentId: 'alice', by: other, onlyIfUnassigned: false, now: 4300 })).rejects.toMatchObject({ code: 'not_found' });
    expect(await kinds(id)).toEqual(['text', 'support.agent-joined', 'support.agent-joined']);
    expect(await storage.support.read.openCaseCounts()).toEqual(new Map([[other, 1]]));
    expect((await storage.support.read.lastAssignedAt(['sam', 'kim'])).get(other)).toBe(4200);
    expect((await view(id, 'alice'))?.assigneeId).toBe(other);
  });

  it('says it is away once per wait, and resolves and reopens with the activity logged', async () => {
    const id = (await open('alice')).record.conversationId;
    await send(id, 'alice');
    const message = 'Back on Monday';
    const away = await storage.support.write.recordAway({ conversationId: id, nextOpenAt: 9_000_000, message, now: 4000 });
    expect(away.events[0]).toMatchObject({
      senderId: 'alice',
      body: { type: 'system', event: { kind: 'support.away', nextOpenAt: 9_000_000, message } },
    });
    expect((await storage.support.write.recordAway({ conversationId: id, nextOpenAt: null, message, now: 4100 })).changed).toBe(false);
    await storage.support.write.assignCase({ conversationId: id, agentId: 'kim', by: 'kim', onlyIfUnassigned: false, now: 4200 });
    const resolved = await storage.support.write.setCaseStatus({ conversationId: id, status: 'resolved', by: 'kim', now: 4300 });
    expect(resolved.case).toMatchObject({ status: 'resolved', resolvedAt: 4300, assigneeId: 'kim' });
    expect((await storage.support.write.setCaseStatus({ conversationId: id, status: 'resolved', by: 'kim', now: 4400 })).changed).toBe(false);
    const reopened = await storage.support.write.setCaseStatus({ conversationId: id, status: 'open', by: null, now: 4500 });
    expect(reopened.case).toMatchObject({ status: 'open', resolvedAt: null, openedAt: 4500, awayNotified: false });
    expect((await storage.support.write.recordAway({ conversationId: id, nextOpenAt: null, message: '', now: 4600 })).changed).toBe(true);
    const { activity } = await storage.support.read.caseDetails(id);
    expect(activity.map(({ kind, by, agentId, at }) => [kind, by, agentId, at])).toEqual([
      ['reopened', null, null, 4500],
      ['resolved', 'kim', null, 4300],
      ['assigned', 'kim', 'kim', 4200],
    ]);
  });

  it('keeps the recent pages a customer was on, and what the host said of them', async () => {
    const id = (await open('alice', { page: page('/0'), context: { n: 0 } })).record.conversationId;
    for (let n = 1; n <= 25; n++) await storage.support.write.updateCaseDetails(id, { page: page(`/${n}`), context: { n } }, 5000 + n);
    const same = await storage.support.write.updateCaseDetails(id, { page: page('/25') }, 6000);
    expect(same.changed).toBe(false);
    const emailed = await storage.support.write.updateCaseDetails(id, { email: 'alice@example.com', context: null }, 6100);
    expect(emailed.case).toMatchObject({ email: 'alice@example.com', context: null, page: page('/25') });
    const { pages } = await storage.support.read.caseDetails(id);
    expect(pages).toHaveLength(20);
    expect(pages[0]).toEqual({ ...page('/25'), context: { n: 25 }, at: 5025 });
    expect(pages.at(-1)?.url).toBe(page('/6').url);
  });

  it('moves a visitor’s cases to the user who claims them, keeping what was unread', async () => {
    await storage.support.write.createVisitor({ id: 'v_anon', secretHash: 'h', now: 1000 });
    const id = (await open('v_anon')).record.conversationId;
    await send(id, 'v_anon', 'Where is my order?');
    await storage.support.write.assignCase({ conversationId: id, agentId: 'sam', by: null, onlyIfUnassigned: true, now: 4000 });
    await send(id, 'sam', 'Please sign in');
    const claimed = await storage.support.write.claimVisitor({ visitorId: 'v_anon', user: { id: 'carol', name: 'Carol', avatar: null }, now: 5000 });
    expect(claimed.conversationIds).toEqual([id]);
    expect(claimed.events[0]).toMatchObject({ senderId: 'carol', body: { type: 'system', event: { kind: 'support.identified', visitorId: 'v_anon', visitorName: expect.stringMatching(/^Visitor #\d+$/) } } });
    expect(await view(id, 'carol')).toMatchObject({ role: 'customer', unreadCount: 1, assigneeId: 'sam' });
    expect((await storage.support.read.getCase(id))?.customerId).toBe('carol');
    expect((await storage.conversations.read.memberIds(id)).sort()).toEqual(['carol', 'kim', 'sam']);
    expect((await storage.support.read.getVisitor('v_anon'))?.claimedBy).toBe('carol');
    expect(await storage.support.read.claimedVisitorIds('carol')).toEqual(['v_anon']);
    expect(await storage.support.read.claimedVisitorIds('dave')).toEqual([]);
    expect(await storage.conversations.read.idsOf('v_anon')).toEqual([]);
    expect(await storage.support.write.claimVisitor({ visitorId: 'v_anon', user: { id: 'carol', name: 'Carol', avatar: null }, now: 5100 })).toEqual({ conversationIds: [], events: [] });
    await expect(storage.support.write.claimVisitor({ visitorId: 'v_anon', user: { id: 'dave', name: 'Dave', avatar: null }, now: 5200 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('takes the role away: out of every case, their open ones waiting for someone else', async () => {
    const id = (await open('alice')).record.conversationId;
    await storage.support.write.assignCase({ conversationId: id, agentId: 'kim', by: null, onlyIfUnassigned: true, now: 4000 });
    const revoked = await storage.support.write.revokeAgentRole('kim', 5000);
    expect(revoked).toEqual({ left: [id], unassigned: [id] });
    expect(await storage.support.read.isAgent('kim')).toBe(false);
    expect(await storage.conversations.read.memberIds(id)).not.toContain('kim');
    expect((await storage.support.read.getCase(id))?.assigneeId).toBeNull();
    expect(await storage.support.write.revokeAgentRole('kim', 5100)).toEqual({ left: [], unassigned: [] });
  });
}
