import { expect } from '@open-wc/testing';
import type { ChatClient } from '../../src/client/index.js';
import type { GroupConversation, JoinDecidedEvent, JoinRequestedEvent } from '../../src/protocol/index.js';
import { people, stopAllClients, texts } from '../support/browser/chat-clients.js';
import { waitFor } from '../support/browser/im-server.js';

async function group(client: ChatClient, conversationId: string): Promise<GroupConversation | undefined> {
  const conversation = await client.cache!.conversation(conversationId);
  return conversation?.type === 'group' ? conversation : undefined;
}

describe('ChatClient groups against a real server', () => {
  afterEach(() => stopAllClients());

  it('creates a group that its members see at once, with its events in the timeline', async () => {
    const [alice, bob, carol] = await people('alice', 'bob', 'carol');
    const id = await alice!.client.groups.create({ name: 'Book club', memberIds: [bob!.id, carol!.id] });

    const owned = await group(alice!.client, id);
    expect([owned?.role, owned?.memberCount, owned?.name]).to.deep.equal(['owner', 3, 'Book club']);
    for (const member of [bob!, carol!]) {
      await waitFor(async () => (await group(member.client, id))?.role === 'member', 'the group for a member');
      await waitFor(async () => (await texts(member.client, id)).length > 0, 'its first events');
      expect((await texts(member.client, id)).every((text) => text.startsWith('['))).to.equal(true);
    }

    await alice!.client.send(id, 'Welcome, everyone!');
    for (const member of [bob!, carol!]) {
      await waitFor(
        async () => (await texts(member.client, id)).includes('Welcome, everyone!:sent'),
        'the message for every member',
      );
    }
    // System events are not unread messages; the welcome is.
    expect(await bob!.client.cache!.totalUnread()).to.equal(1);
  });

  it('marks “mentioned you” for the mentioned member only, until read', async () => {
    const [alice, bob, carol] = await people('alice', 'bob', 'carol');
    const id = await alice!.client.groups.create({ name: 'Mentions', memberIds: [bob!.id, carol!.id] });
    await waitFor(async () => !!(await group(carol!.client, id)), 'Carol to have the group');
    await alice!.client.send(id, '@Bob please look', { mentions: [bob!.id] });

    await waitFor(async () => {
      const seen = await group(bob!.client, id);
      return !!seen && seen.mentionSeq > seen.readSeq;
    }, 'Bob to be mentioned');
    await waitFor(async () => (await texts(carol!.client, id)).includes('@Bob please look:sent'), 'Carol to get it');
    const forCarol = await group(carol!.client, id);
    expect(forCarol!.mentionSeq).to.equal(0);

    await bob!.client.markRead(id);
    const read = await group(bob!.client, id);
    expect(read!.mentionSeq <= read!.readSeq).to.equal(true);
  });

  it('moves a member’s cached group forward with each event: rename, mute, removal', async () => {
    const [alice, bob] = await people('alice', 'bob');
    const id = await alice!.client.groups.create({ name: 'Before', memberIds: [bob!.id] });
    await waitFor(async () => !!(await group(bob!.client, id)), 'Bob to have the group');

    await alice!.client.groups.update({ conversationId: id, name: 'After' });
    await waitFor(async () => (await group(bob!.client, id))?.name === 'After', 'the new name');
    await alice!.client.groups.muteMember(id, bob!.id, true);
    await waitFor(async () => (await group(bob!.client, id))?.muted === true, 'Bob to be muted');
    const refused = await bob!.client.send(id, 'can I talk?');
    await waitFor(
      async () => (await bob!.client.cache!.outboxEntry(refused.clientId))?.error?.code === 'muted',
      'the muted error',
    );

    await alice!.client.groups.removeMember(id, bob!.id);
    await waitFor(async () => (await group(bob!.client, id))?.membership === 'removed', 'Bob to be removed');
    await alice!.client.send(id, 'after Bob left');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await texts(bob!.client, id)).some((text) => text.startsWith('after Bob left'))).to.equal(false);
  });

  it('joins an open group with an invite link', async () => {
    const [alice, dave] = await people('alice', 'dave');
    const id = await alice!.client.groups.create({ name: 'Open house', memberIds: [] });
    const invite = await alice!.client.groups.createInvite(id, { maxUses: 5 });

    const preview = await dave!.client.groups.previewInvite(invite.code);
    expect([preview.group.name, preview.group.memberCount, preview.membership]).to.deep.equal([
      'Open house',
      1,
      'none',
    ]);
    const joined = await dave!.client.groups.joinByInvite(invite.code);
    expect(joined.status).to.equal('joined');
    await dave!.client.send(id, 'hi, I just joined');
    await waitFor(async () => (await texts(alice!.client, id)).includes('hi, I just joined:sent'), 'Alice to see it');
    const [listed] = await alice!.client.groups.listInvites(id);
    expect(listed!.uses).to.equal(1);
  });

  it('asks an admin to approve, and tells the requester the outcome', async () => {
    const [alice, erin] = await people('alice', 'erin');
    const id = await alice!.client.groups.create({ name: 'Members only', memberIds: [] });
    await alice!.client.groups.setJoinPolicy(id, 'approval');
    const { code } = await alice!.client.groups.createInvite(id);
    const requests: JoinRequestedEvent[] = [];
    const decisions: JoinDecidedEvent[] = [];
    alice!.client.on('join-request', (request) => requests.push(request));
    erin!.client.on('join-decided', (decision) => decisions.push(decision));

    expect((await erin!.client.groups.joinByInvite(code)).status).to.equal('requested');
    await waitFor(() => requests.length === 1, 'Alice to hear of the request');
    expect((await alice!.client.groups.joinRequests(id)).requests.map((r) => r.userId)).to.deep.equal([erin!.id]);

    await alice!.client.groups.decideJoinRequest(id, erin!.id, true);
    await waitFor(() => decisions.length === 1, 'Erin to hear the decision');
    expect(decisions[0]!.approved).to.equal(true);
    await waitFor(async () => (await group(erin!.client, id))?.membership === 'active', 'Erin to be a member');
  });
});
