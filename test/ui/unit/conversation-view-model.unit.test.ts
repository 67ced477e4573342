import { beforeEach, describe, expect, it } from 'vitest';
import type { Draft, MessageRef } from '../../../src/client/index.js';
import type { ReplyRef, TextBody } from '../../../src/protocol/index.js';
import { limits } from '../../../src/protocol/index.js';
import type { ShownEntry } from '../../../src/ui/im-message-list/timeline-rows.js';
import {
  ConversationViewModel,
  draftDelayMs,
  type ComposingClient,
} from '../../../src/ui/view-models/conversation-view-model.js';
import { ManualClock, deferred, textEntry } from './fixtures.js';

type Mentions = Pick<TextBody, 'mentions' | 'mentionAll'>;

/** The client's writing side, in memory: drafts in a map, and every call recorded. */
class FakeComposingClient implements ComposingClient {
  cache: object | null = {};
  readonly drafts = new Map<string, Omit<Draft, 'updatedAt'>>();
  readonly sent: { conversationId: string; text: string; mentions: Mentions; replyTo?: ReplyRef }[] = [];
  readonly edited: { conversationId: string; seq: number; text: string; mentions: Mentions }[] = [];
  readonly typingCalls: string[] = [];
  readonly shared: { conversationId: string; userId: string }[] = [];
  /** What the next send or edit does; it succeeds unless the test says otherwise. */
  outcome: Promise<void> = Promise.resolve();

  send = async (conversationId: string, text: string, mentions: Mentions = {}, options: { replyTo?: ReplyRef } = {}) => {
    this.sent.push({ conversationId, text, mentions, ...options });
    await this.outcome;
    return {} as Awaited<ReturnType<ComposingClient['send']>>;
  };

  messages = {
    edit: async (conversationId: string, seq: number, text: string, mentions: Mentions = {}) => {
      this.edited.push({ conversationId, seq, text, mentions });
      await this.outcome;
    },
    shareContact: async (conversationId: string, user: { id: string }) => {
      this.shared.push({ conversationId, userId: user.id });
      await this.outcome;
      return {} as Awaited<ReturnType<ComposingClient['messages']['shareContact']>>;
    },
    replyRef: ({ seq, senderId, body }: MessageRef): ReplyRef => ({
      seq,
      senderId,
      type: 'text',
      excerpt: body.type === 'text' ? body.text : '',
    }),
  };

  conversations = {
    draft: async (conversationId: string) => {
      const draft = this.drafts.get(conversationId);
      return draft && { ...draft, updatedAt: 0 };
    },
    saveDraft: async (draft: Omit<Draft, 'updatedAt'>) => {
      if (draft.text.trim() === '' && !draft.replyTo) this.drafts.delete(draft.conversationId);
      else this.drafts.set(draft.conversationId, draft);
    },
    typing: (conversationId: string) => void this.typingCalls.push(`typing ${conversationId}`),
    stoppedTyping: (conversationId: string) => void this.typingCalls.push(`stopped ${conversationId}`),
  };
}

const names: Record<string, string> = { bob: 'Bob', carol: 'Carol' };

describe('ConversationViewModel', () => {
  let client: FakeComposingClient;
  let clock: ManualClock;
  let conversation: ConversationViewModel;
  let changes: number;

  beforeEach(() => {
    client = new FakeComposingClient();
    clock = new ManualClock();
    conversation = new ConversationViewModel({ client: () => client, nameOf: (id) => names[id] ?? id, clock });
    changes = 0;
    conversation.subscribe(() => changes++);
  });

  it('opens on the draft kept for the conversation, and keeps the one left', async () => {
    const quoted: ReplyRef = { seq: 4, senderId: 'bob', type: 'text', excerpt: 'Lunch?' };
    client.drafts.set('c1', { conversationId: 'c1', text: 'Half written @Bob', mentions: ['bob'], replyTo: quoted });
    await conversation.open('c1');
    expect(conversation.text).toBe('Half written @Bob');
    expect(conversation.replyTo).toEqual(quoted);
    expect(changes).toBeGreaterThan(0);

    conversation.typed('Half written @Bob, see you');
    await conversation.open('c2');
    expect(conversation.text).toBe('');
    expect(client.drafts.get('c1')).toEqual({
      conversationId: 'c1',
      text: 'Half written @Bob, see you',
      mentions: ['bob'],
      replyTo: quoted,
    });
  });

  it('keeps a draft a moment after the last keystroke, not before', async () => {
    await conversation.open('c1');
    conversation.typed('Hel');
    clock.advance(draftDelayMs - 1);
    conversation.typed('Hello');
    clock.advance(draftDelayMs - 1);
    await Promise.resolve();
    expect(client.drafts.has('c1')).toBe(false);
    clock.advance(1);
    await Promise.resolve();
    expect(client.drafts.get('c1')?.text).toBe('Hello');
  });

  it('does not lose what the user typed while the draft was read', async () => {
    client.drafts.set('c1', { conversationId: 'c1', text: 'old draft', mentions: [], replyTo: null });
    const opening = conversation.open('c1');
    conversation.typed('new words');
    await opening;
    expect(conversation.text).toBe('new words');
  });

  it('shows the user typing while there is text, and stops when it is emptied', async () => {
    await conversation.open('c1');
    conversation.typed('H');
    conversation.typed('Hi');
    conversation.typed('');
    expect(client.typingCalls).toEqual(['typing c1', 'typing c1', 'stopped c1']);
  });

  it('sends the text with its reply and the mentions still in it, and empties the composer at once', async () => {
    await conversation.open('c1');
    conversation.compose({ mode: 'reply', entry: textEntry(7, 'bob', 'Lunch?') as ShownEntry });
    conversation.pickMention('bob', 'Bob', '@Bob ');
    conversation.pickMention('carol', 'Carol', '@Bob @Carol ');
    conversation.pickMention('@all', 'all', '@Bob @all see you');
    const outcome = deferred<void>();
    client.outcome = outcome.promise;

    const sending = conversation.send();
    expect(conversation.text).toBe('');
    expect(conversation.replyTo).toBeNull();
    expect(client.sent).toEqual([
      {
        conversationId: 'c1',
        text: '@Bob @all see you',
        mentions: { mentions: ['bob'], mentionAll: true },
        replyTo: { seq: 7, senderId: 'bob', type: 'text', excerpt: 'Lunch?' },
      },
    ]);
    outcome.resolve();
    await sending;
    expect(conversation.failure).toBeNull();
    expect(client.drafts.has('c1')).toBe(false);
  });

  it('puts the text back, with why, when the message could not be sent', async () => {
    await conversation.open('c1');
    conversation.compose({ mode: 'reply', entry: textEntry(7, 'bob', 'Lunch?') as ShownEntry });
    conversation.typed('Sure');
    client.outcome = Promise.reject(Object.assign(new Error('Not a member'), { code: 'not_member' }));
    await conversation.send();
    expect(conversation.text).toBe('Sure');
    expect(conversation.replyTo?.seq).toBe(7);
    expect(conversation.failure).toEqual({ code: 'not_member', message: 'Not a member' });

    conversation.typed('Sure!');
    expect(conversation.failure).toBeNull();
  });

  it('keeps what the user wrote after sending when the send then fails', async () => {
    await conversation.open('c1');
    conversation.typed('First');
    const outcome = deferred<void>();
    client.outcome = outcome.promise;
    const sending = conversation.send();
    conversation.typed('Second');
    outcome.reject(new Error('offline'));
    await sending;
    expect(conversation.text).toBe('Second');
    expect(conversation.failure?.message).toBe('offline');
  });

  it('sends nothing empty or too long', async () => {
    await conversation.open('c1');
    conversation.typed('   ');
    await conversation.send();
    conversation.typed('x'.repeat(limits.textLength + 1));
    expect(conversation.sendable).toBe(false);
    await conversation.send();
    expect(client.sent).toEqual([]);
  });

  it('edits a message in place of the draft, and gives the draft back after', async () => {
    await conversation.open('c1');
    conversation.typed('my draft');
    clock.advance(draftDelayMs);
    const own = { ...textEntry(9, 'me', 'Hi @Carol'), body: { type: 'text', text: 'Hi @Carol', mentions: ['carol'] } };
    conversation.compose({ mode: 'edit', entry: own as ShownEntry });
    expect(conversation.editing).toEqual({ seq: 9, draft: 'my draft' });
    expect(conversation.text).toBe('Hi @Carol');

    conversation.typed('Hi @Carol and all');
    clock.advance(draftDelayMs);
    await Promise.resolve();
    expect(client.drafts.get('c1')?.text).toBe('my draft'); // an edit is no draft

    await conversation.send();
    expect(client.edited).toEqual([
      { conversationId: 'c1', seq: 9, text: 'Hi @Carol and all', mentions: { mentions: ['carol'], mentionAll: false } },
    ]);
    expect(conversation.editing).toBeNull();
    expect(conversation.text).toBe('my draft');
  });

  it('cancels an edit back to the draft, and a reply to nothing', async () => {
    await conversation.open('c1');
    conversation.typed('my draft');
    conversation.compose({ mode: 'edit', entry: textEntry(9, 'me', 'Old') as ShownEntry });
    conversation.cancelContext();
    expect(conversation.text).toBe('my draft');
    expect(conversation.editing).toBeNull();

    conversation.compose({ mode: 'reply', entry: textEntry(3, 'bob') as ShownEntry });
    conversation.cancelContext();
    expect(conversation.replyTo).toBeNull();
    expect(conversation.text).toBe('my draft');
  });

  it('takes back the text of a recalled message', async () => {
    await conversation.open('c1');
    conversation.compose({ mode: 'text', text: 'What I recalled' });
    expect(conversation.text).toBe('What I recalled');
  });

  it('keeps the draft when the view goes away, with no timer left behind', async () => {
    await conversation.open('c1');
    conversation.typed('Leaving now');
    conversation.leave();
    await Promise.resolve();
    expect(client.drafts.get('c1')?.text).toBe('Leaving now');
    expect(clock.pending).toBe(0);
  });

  it('shares a contact into the open conversation and keeps the text being written', async () => {
    await conversation.open('c1');
    conversation.typed('half a thought');
    await conversation.shareContact({ id: 'carol', name: 'Carol', avatar: null });
    expect(client.shared).toEqual([{ conversationId: 'c1', userId: 'carol' }]);
    expect(conversation.text).toBe('half a thought');
    expect(conversation.failure).toBeNull();

    client.outcome = Promise.reject(Object.assign(new Error('offline'), { code: 'offline' }));
    await conversation.shareContact({ id: 'bob', name: 'Bob', avatar: null });
    expect(conversation.failure).toMatchObject({ code: 'offline' });
  });
});
