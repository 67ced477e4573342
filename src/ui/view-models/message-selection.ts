import type { ChatClient } from '../../client/index.js';
import { limits } from '../../protocol/index.js';
import { summaryOf, type NameOf } from '../describe.js';
import type { Translator } from '../i18n/index.js';
import type { ShownEntry } from '../im-message-list/timeline-rows.js';
import { ViewModel } from './view-model.js';

/** What acting on selected messages needs of the client (the real `ChatClient`, or a test's fake). */
export interface SelectingClient {
  messages: Pick<ChatClient['messages'], 'forward' | 'forwardHistory' | 'hideForMe'>;
}

/** How several messages travel: each as its own copy, or together as one chat history card. */
export type ForwardMode = 'one-by-one' | 'history';

/** A message that was sent and still says something: events and recalled messages are not picked. */
export type SelectableEntry = ShownEntry & {
  seq: number;
  messageId: string;
  body: Exclude<ShownEntry['body'], { type: 'system' | 'recalled' | 'reaction' }>;
};

/** Whether a message of the timeline can be selected. */
export function isSelectable(entry: ShownEntry): entry is SelectableEntry {
  return (
    entry.status === 'sent' &&
    entry.seq !== null &&
    entry.messageId !== null &&
    entry.body.type !== 'system' &&
    entry.body.type !== 'recalled' &&
    entry.body.type !== 'reaction'
  );
}

/**
 * The messages picked in one conversation's selection mode, and what can be done with them
 * at once: forward, copy, delete for me. It lives outside the message list's rows, which the
 * virtualizer drops and re-creates as they scroll, so a choice survives scrolling.
 *
 * @example
 * selection.start(conversationId, entry); // "Select" in a message's menu
 * selection.toggle(other);
 * await selection.forward(targetId, 'history'); // leaves selection mode
 */
export class MessageSelection extends ViewModel {
  #conversationId: string | null = null;
  /** By the entry's key, so that a row re-created by the virtualizer finds its state. */
  readonly #picked = new Map<string, SelectableEntry>();
  /** The last toggle was refused: `limits.historyItemsMax` are picked already. */
  #full = false;

  constructor(private readonly options: { client: () => SelectingClient | undefined }) {
    super();
  }

  /** Selection mode is on (in `conversationId`). */
  get active(): boolean {
    return this.#conversationId !== null;
  }

  get conversationId(): string | null {
    return this.#conversationId;
  }

  get count(): number {
    return this.#picked.size;
  }

  /** The user tried to pick more than may be picked. */
  get full(): boolean {
    return this.#full;
  }

  /** The picked messages, oldest first: the order they are forwarded and copied in. */
  get entries(): SelectableEntry[] {
    return [...this.#picked.values()].sort((a, b) => a.seq - b.seq);
  }

  isSelected(key: string): boolean {
    return this.#picked.has(key);
  }

  /** Enters selection mode in a conversation, with `entry` picked when given. */
  start(conversationId: string, entry?: ShownEntry): void {
    this.#conversationId = conversationId;
    this.#picked.clear();
    this.#full = false;
    if (entry && isSelectable(entry)) this.#picked.set(entry.key, entry);
    this.changed();
  }

  /** Picks the message or puts it back; past `limits.historyItemsMax` nothing more is picked. */
  toggle(entry: ShownEntry): void {
    if (!this.active || !isSelectable(entry)) return;
    this.#full = false;
    if (this.#picked.has(entry.key)) this.#picked.delete(entry.key);
    else if (this.#picked.size >= limits.historyItemsMax) this.#full = true;
    else this.#picked.set(entry.key, entry);
    this.changed();
  }

  /** Leaves selection mode. */
  cancel(): void {
    if (!this.active) return;
    this.#conversationId = null;
    this.#picked.clear();
    this.#full = false;
    this.changed();
  }

  /**
   * Sends the picked messages to another conversation, each in order or as one chat
   * history, through the outbox (so offline they go once connected); then leaves
   * selection mode. A refusal (a kind of message that cannot travel) is thrown, the
   * selection kept.
   */
  async forward(toConversationId: string, mode: ForwardMode): Promise<void> {
    const messages = this.options.client()?.messages;
    const from = this.#conversationId;
    if (!messages || from === null || this.count === 0) return;
    const entries = this.entries;
    if (mode === 'history') {
      await messages.forwardHistory(from, entries.map((entry) => entry.seq), toConversationId);
    } else {
      for (const entry of entries) await messages.forward({ ...entry, conversationId: from }, toConversationId);
    }
    this.cancel();
  }

  /** Hides the picked messages on this device ("delete for me"), then leaves selection mode. */
  async hideForMe(): Promise<void> {
    const messages = this.options.client()?.messages;
    const from = this.#conversationId;
    if (!messages || from === null) return;
    for (const entry of this.entries) await messages.hideForMe(from, entry.messageId);
    this.cancel();
  }

  /**
   * The picked messages as plain text for the clipboard, one block per message: "Name, time"
   * then its text (what it carries, "[Photo]", for other kinds).
   */
  copyText(t: Translator, nameOf: NameOf): string {
    return this.entries
      .map((entry) => {
        const { body } = entry;
        const content = body.type === 'text' ? body.text : summaryOf(body, t);
        return `${nameOf(entry.senderId)}, ${t.dateTime(entry.createdAt)}\n${content}`;
      })
      .join('\n\n');
  }
}
