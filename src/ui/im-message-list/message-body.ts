/**
 * What a message says, drawn the same wherever it appears: as a message of the list, or as
 * an item of a chat history (and a history inside that one).
 */
import type { HistoryBody, HistoryItemBody } from '../../protocol/index.js';
import type { Translator } from '../i18n/index.js';
import '../im-attachment/im-attachment.js';
import '../im-voice-message/im-voice-message.js';
import '../im-contact-card/im-contact-card.js';
import { attachmentParts, exportParts, voiceParts } from '../parts.js';
import { formattedText } from '../text/formatted-text.js';
import { isEmojiOnly } from '../text/rich-text.js';
import { renderHistoryCard } from '../im-history/history-card.js';
import { html } from '../registry.js';

export interface BodyContext {
  t: Translator;
  /** Whose files these are: a history's files belong to the conversation it was forwarded to. */
  conversationId: string;
  /** Its links and buttons are in the Tab order. */
  tabbable: boolean;
  /** A chat history card was chosen: show its messages. */
  openHistory: (body: HistoryBody, opener: HTMLElement) => void;
}

/** A voice message's played state, where it is a message of the list; none in a history. */
export interface VoiceState {
  seq: number | null;
  own: boolean;
  group: boolean;
  played: boolean;
  playedCount: number;
}

/** A forwarded voice message: nothing to mark as played, no unplayed dot. */
const inHistory: VoiceState = { seq: null, own: false, group: false, played: true, playedCount: 0 };

/**
 * Text is rendered as text only, never as markup: its marks (bold, code, quotes…) and links
 * become elements by `formattedText`; a few emoji alone show larger.
 */
export function renderBody(body: HistoryItemBody, context: BodyContext, voice: VoiceState = inHistory) {
  const { conversationId, tabbable } = context;
  switch (body.type) {
    case 'text':
      // dir="auto": a message takes the direction of its own words, whatever the widget's.
      return html`<span class="text ${isEmojiOnly(body.text) ? 'emoji-only' : ''}" dir="auto">${formattedText(body.text, { tabbable })}</span>`;
    case 'image':
    case 'file':
    case 'video':
      return html`<im-attachment
        exportparts=${exportParts(attachmentParts)}
        .body=${body}
        .conversationId=${conversationId}
        .tabbable=${tabbable}
      ></im-attachment>`;
    case 'voice':
      return html`<im-voice-message
        exportparts=${exportParts(voiceParts)}
        .body=${body}
        .conversationId=${conversationId}
        .tabbable=${tabbable}
        .seq=${voice.seq}
        .own=${voice.own}
        .group=${voice.group}
        .played=${voice.played}
        .playedCount=${voice.playedCount}
      ></im-voice-message>`;
    case 'contact':
      return html`<im-contact-card part="contact-card" .body=${body} .tabbable=${tabbable}></im-contact-card>`;
    case 'history':
      return renderHistoryCard(body, context);
  }
}
