import type { ChatClient } from '../../client/index.js';
import type { ReplyRef, User } from '../../protocol/index.js';
import { limits } from '../../protocol/limits.js';
import { allId, mentionsStillIn } from '../im-composer/mentions.js';
import type { ComposeRequest } from '../im-message-list/message-menu.js';
import { ViewModel, systemClock, type Clock } from './view-model.js';

/** What writing in a conversation needs of the client (the real `ChatClient`, or a test's fake). */
export type ComposingClient = Pick<ChatClient, 'send'> & {
  /** Drafts live in the signed-in user's cache; none is kept before there is one. */
  readonly cache: object | null;
  messages: Pick<ChatClient['messages'], 'edit' | 'replyRef' | 'shareContact'>;
  conversations: Pick<ChatClient['conversations'], 'draft' | 'saveDraft' | 'typing' | 'stoppedTyping'>;
};

export interface ConversationViewModelOptions {
  client: () => ComposingClient | undefined;
  /** The name a mention of this user shows as (mentions come back from drafts and edits by id). */
  nameOf: (userId: string) => string;
  clock?: Clock;
}

/** A message being edited: its seq, and the text to put back if editing is cancelled. */
export interface Editing {
  seq: number;
  draft: string;
}

/** Why the last send failed: a stable code to translate when the server gave one. */
export interface SendFailure {
  code: string | undefined;
  message: string;
}

/** A draft is kept this long after the last change (and at once when leaving the conversation). */
export const draftDelayMs = 400;

/**
 * The writing side of one open conversation: the text, the message it replies to or edits,
 * the mentions picked from the `@` list, the draft kept on this device, typing indicators,
 * and sending. The composer renders it and awaits `send()`.
 *
 * @example
 * const conversation = new ConversationViewModel({ client: () => this.client, nameOf });
 * void conversation.open('c1');
 * conversation.typed('Hello');
 * await conversation.send(); // the text is back, with `failure` set, if it could not be sent
 */
export class ConversationViewModel extends ViewModel {
  #conversationId: string | null = null;
  #text = '';
  #replyTo: ReplyRef | null = null;
  #editing: Editing | null = null;
  #failure: SendFailure | null = null;
  /** Mentions picked from the list: id -> the name inserted after `@`. */
  readonly #picked = new Map<string, string>();
  #draftTimer: unknown = undefined;
  readonly #clock: Clock;

  constructor(private readonly options: ConversationViewModelOptions) {
    super();
    this.#clock = options.clock ?? systemClock;
  }

  get conversationId(): string | null {
    return this.#conversationId;
  }

  get text(): string {
    return this.#text;
  }

  /** The quoted message while replying. */
  get replyTo(): ReplyRef | null {
    return this.#replyTo;
  }

  get editing(): Editing | null {
    return this.#editing;
  }

  get failure(): SendFailure | null {
    return this.#failure;
  }

  /** Whether the text can be sent now (not empty, not too long). */
  get sendable(): boolean {
    return this.#text.trim() !== '' && this.#text.length <= limits.textLength;
  }

  /** Leaves the conversation before (keeping its draft) and reads this one's draft. */
  async open(conversationId: string): Promise<void> {
    this.#flushDraft();
    this.#conversationId = conversationId;
    this.#text = '';
    this.#replyTo = null;
    this.#editing = null;
    this.#picked.clear();
    this.changed();
    const draft = conversationId
      ? await this.options.client()?.conversations.draft(conversationId).catch(() => undefined)
      : undefined;
    // The user may have moved on, or started typing, while the draft was read.
    if (!draft || this.#conversationId !== conversationId || this.#text !== '') return;
    this.#text = draft.text;
    this.#replyTo = draft.replyTo;
    for (const id of draft.mentions) this.#picked.set(id, this.options.nameOf(id));
    this.changed();
  }

  /** Keeps the draft now (the view is going away). */
  leave(): void {
    this.#flushDraft();
  }

  /** The user typed: the others see them typing, until the text is empty again. */
  typed(text: string): void {
    this.#text = text;
    this.#failure = null;
    this.#saveDraftSoon();
    this.changed();
    const conversationId = this.#conversationId;
    const conversations = this.options.client()?.conversations;
    if (!conversationId || !conversations) return;
    if (text.trim() !== '') conversations.typing(conversationId);
    else conversations.stoppedTyping(conversationId);
  }

  /** The text changed by something other than typing (an emoji put in). */
  replaceText(text: string): void {
    this.#text = text;
    this.#saveDraftSoon();
    this.changed();
  }

  /** A member was picked from the `@` list; `text` has their `@name` in it now. */
  pickMention(userId: string, name: string, text: string): void {
    this.#picked.set(userId, name);
    this.#text = text;
    this.changed();
  }

  /** Starts a reply to a message, edits one of the user's own, or takes back a recalled text. */
  compose(request: ComposeRequest): void {
    if (request.mode === 'text') {
      this.#text = request.text;
    } else if (request.mode === 'reply') {
      const { entry } = request;
      const conversationId = this.#conversationId ?? '';
      this.#replyTo =
        entry.seq === null ? null : (this.options.client()?.messages.replyRef({ ...entry, conversationId, seq: entry.seq }) ?? null);
    } else if (request.entry.body.type === 'text' && request.entry.seq !== null) {
      this.#editing = { seq: request.entry.seq, draft: this.#editing?.draft ?? this.#text };
      this.#replyTo = null;
      this.#text = request.entry.body.text;
      this.#picked.clear();
      for (const id of request.entry.body.mentions ?? []) this.#picked.set(id, this.options.nameOf(id));
    }
    this.#failure = null;
    this.#saveDraftSoon();
    this.changed();
  }

  /** Stops replying, or stops editing and puts back what the user was writing before. */
  cancelContext(): void {
    if (this.#editing) {
      this.#text = this.#editing.draft;
      this.#editing = null;
      this.#picked.clear();
    }
    this.#replyTo = null;
    this.#saveDraftSoon();
    this.changed();
  }

  /**
   * Sends the text (or saves the edit) and empties the composer at once. Resolves once the
   * client took the message (queued, or the edit saved); if it refused, the text comes back,
   * unless the user already wrote something new, and `failure` says why. Never rejects.
   */
  async send(): Promise<void> {
    const text = this.#text;
    if (text.trim() === '' || text.length > limits.textLength) return;
    const conversationId = this.#conversationId;
    const mentioned = mentionsStillIn(text, this.#picked);
    const mentions = { mentions: mentioned.filter((id) => id !== allId), mentionAll: mentioned.includes(allId) };
    const replyTo = this.#replyTo;
    const editing = this.#editing;
    const client = this.options.client();
    const sending = (async () => {
      if (!client || !conversationId) return;
      if (editing) await client.messages.edit(conversationId, editing.seq, text, mentions);
      else await client.send(conversationId, text, mentions, replyTo ? { replyTo } : {});
    })();
    this.#text = editing?.draft ?? '';
    this.#replyTo = null;
    this.#editing = null;
    this.#picked.clear();
    this.#flushDraft();
    this.changed();
    try {
      await sending;
    } catch (error) {
      // Nothing is lost: the text comes back unless the user already wrote something new.
      if (this.#text === (editing?.draft ?? '')) {
        this.#text = text;
        this.#replyTo = replyTo;
        this.#editing = editing;
      }
      this.#failure = { code: (error as { code?: string }).code, message: (error as Error).message };
      this.changed();
    }
  }

  /**
   * Shares a person's contact into the conversation (queued like a message); the text
   * being written stays. Never rejects: `failure` says why it could not be queued.
   */
  async shareContact(user: Pick<User, 'id' | 'name' | 'avatar'>): Promise<void> {
    const client = this.options.client();
    const conversationId = this.#conversationId;
    if (!client || !conversationId) return;
    try {
      await client.messages.shareContact(conversationId, user);
      this.#failure = null;
    } catch (error) {
      this.#failure = { code: (error as { code?: string }).code, message: (error as Error).message };
    }
    this.changed();
  }

  #saveDraftSoon(): void {
    this.#clock.clearTimeout(this.#draftTimer);
    this.#draftTimer = this.#clock.setTimeout(() => this.#flushDraft(), draftDelayMs);
  }

  #flushDraft(): void {
    this.#clock.clearTimeout(this.#draftTimer);
    this.#draftTimer = undefined;
    const conversationId = this.#conversationId;
    const client = this.options.client();
    // An edit in progress is not a draft of a new message.
    if (!conversationId || this.#editing || !client?.cache) return;
    void client.conversations
      .saveDraft({ conversationId, text: this.#text, mentions: mentionsStillIn(this.#text, this.#picked), replyTo: this.#replyTo })
      .catch(() => undefined);
  }
}
