import { fixture, fixtureCleanup, html } from '@open-wc/testing';
import { receiptsOf } from '../../src/client/index.js';
import type { ImChat } from '../../src/ui/index.js';
import { serverUrl, tokenFor, waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, inShadow } from '../support/browser/widget.js';

/**
 * Alice wrote to Bob and closed her widget; Bob read the message while she was away.
 * Returns what her other device (or the same one, reloaded) needs to come back.
 */
async function readWhileAway() {
  const { alice, bob, names } = await alicePlusBob();
  const aliceId = alice.element.chatClient!.user!.id;
  const conversationId = await alice.element.chatClient!.startConversation(bob.element.chatClient!.user!.id);
  await alice.element.chatClient!.send(conversationId, 'Are you there?');
  await waitFor(
    async () => (await alice.element.chatClient!.cache!.conversation(conversationId))?.lastSeq === 1,
    'the message to be acknowledged',
  );
  alice.element.remove();
  await bob.openConversation(names.alice);
  await waitFor(
    async () => (await bob.element.chatClient!.cache!.conversation(conversationId))?.serverReadSeq === 1,
    'Bob’s reading to reach the server',
  );
  return { aliceId, name: names.alice, conversationId };
}

/** Alice's widget again, with `conversation` open from the start (before any network). */
async function aliceAgain(aliceId: string, name: string, conversation = '') {
  return fixture<ImChat>(html`<im-chat
    server=${await serverUrl()}
    token=${await tokenFor(aliceId, { name })}
    conversation=${conversation}
    lang="en"
    style="--im-height: 480px"
  ></im-chat>`);
}

function ownMessageState(element: ImChat): string | null {
  const state = inShadow(element, 'im-message-pane', 'im-message-list')?.shadowRoot?.querySelector('li.own .state');
  return state?.getAttribute('aria-label') ?? null;
}

describe('read marks on the sender’s other devices', () => {
  afterEach(() => fixtureCleanup());

  it('show "Read" in a chat opened at once, before the connection is up', async () => {
    const { aliceId, name, conversationId } = await readWhileAway();
    const element = await aliceAgain(aliceId, name, conversationId);
    await waitFor(() => ownMessageState(element) !== null, 'Alice’s message, from her cache');
    await waitFor(() => ownMessageState(element) === 'Read', 'the message marked read');
  });

  it('are caught up with the rest, so the cache shows them offline later', async () => {
    const { aliceId, name, conversationId } = await readWhileAway();
    const element = await aliceAgain(aliceId, name);
    await waitFor(() => element.chatClient?.status === 'online', 'Alice online');
    await waitFor(async () => {
      const receipts = await receiptsOf(element.chatClient!.cache!, conversationId);
      return receipts.some((receipt) => receipt.userId !== aliceId && receipt.readSeq === 1);
    }, 'Bob’s read position in Alice’s cache, without opening the chat');
  });
});
