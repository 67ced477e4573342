/** Helpers about message bodies that clients and servers share (no schema library needed). */
import type {
  ContactBody,
  EditBody,
  FileBody,
  FileInfo,
  HistoryBody,
  ImageBody,
  MessageBody,
  OutgoingBody,
  ReactionBody,
  RecallBody,
  ReplyRef,
  SystemBody,
  TextBody,
  VideoBody,
  VoiceBody,
} from './schemas.js';
import { plainText } from './formatting.js';
import { limits } from './limits.js';

/**
 * A message as its author composed it, before the server stored it: what a client shows
 * for an unsent message. `toOutgoing` turns it into what goes on the wire.
 */
export type ComposedBody = TextBody | AttachmentBody | ContactBody;

/** A message that carries an uploaded file. */
export type AttachmentBody = ImageBody | FileBody | VideoBody | VoiceBody;

const attachmentTypes: ReadonlySet<string> = new Set<AttachmentBody['type']>(['image', 'file', 'video', 'voice']);

export function isAttachment(body: { type: string }): body is AttachmentBody {
  return attachmentTypes.has(body.type);
}

/** The file a message carries, if it carries one. */
export function fileOf(body: MessageBody): FileInfo | null {
  return isAttachment(body) ? body.file : null;
}

/** Timeline entries that record something about other entries; never shown as messages. */
export type EventBody = EditBody | RecallBody | ReactionBody | SystemBody;

/** What goes on the wire for a composed body: attachments travel as their file id, a card as its user's id. */
export function toOutgoing(body: ComposedBody): OutgoingBody {
  switch (body.type) {
    case 'text':
      return body;
    case 'contact':
      return { type: 'contact', userId: body.user.id };
    case 'voice':
      return { type: 'voice', fileId: body.file.id, duration: body.duration, waveform: body.waveform };
    default:
      return { type: body.type, fileId: body.file.id };
  }
}

/** An edit, recall or reaction event: it changes an earlier entry and is not shown by itself. */
export function isChangeEvent(body: MessageBody): body is EditBody | RecallBody | ReactionBody {
  return body.type === 'edit' || body.type === 'recall' || body.type === 'reaction';
}

let singleEmoji: RegExp | undefined;

/**
 * The emoji a reaction stores for `value`, or null when `value` is not exactly one emoji
 * (Unicode's recommended emoji, `RGI_Emoji`). Variation selectors are made canonical, so
 * that "❤" and "❤️" are one reaction.
 */
export function reactionEmoji(value: string): string | null {
  if (value.length === 0 || value.length > limits.reactionEmojiLength) return null;
  // Built on first use: engines without the `v` flag must still load this module.
  singleEmoji ??= new RegExp('^\\p{RGI_Emoji}$', 'v');
  const emoji = singleEmoji;
  if (emoji.test(value)) return value;
  const bare = value.replace(/\uFE0F/g, '');
  if (emoji.test(bare)) return bare;
  const [first = '', ...rest] = [...bare];
  const presented = `${first}\uFE0F${rest.join('')}`;
  return emoji.test(presented) ? presented : null;
}

/** A message someone wrote (or its recalled remains), as opposed to an event. */
export function isMessageBody(
  body: MessageBody,
): body is TextBody | AttachmentBody | ContactBody | HistoryBody | Extract<MessageBody, { type: 'recalled' }> {
  return body.type !== 'system' && !isChangeEvent(body);
}

/** At most `max` UTF-16 units of `text`, never splitting a character made of two. */
export function truncateText(text: string, max: number): string {
  let end = 0;
  for (const character of text) {
    if (end + character.length > max) break;
    end += character.length;
  }
  return text.slice(0, end);
}

/** What a reply quotes of a message: its type and the start of its text without marks (or the file's name). */
export function quoteOf(seq: number, senderId: string, body: MessageBody): ReplyRef | null {
  switch (body.type) {
    case 'text':
      return { seq, senderId, type: 'text', excerpt: truncateText(plainText(body.text), limits.replyExcerptLength) };
    case 'image':
    case 'file':
    case 'video':
      return { seq, senderId, type: body.type, excerpt: truncateText(body.file.name, limits.replyExcerptLength) };
    case 'voice':
      return { seq, senderId, type: 'voice', excerpt: '' };
    case 'contact':
      return { seq, senderId, type: 'contact', excerpt: truncateText(body.user.name, limits.replyExcerptLength) };
    case 'history': {
      const first = body.items[0]!.body;
      const excerpt = first.type === 'text' ? truncateText(plainText(first.text), limits.replyExcerptLength) : '';
      return { seq, senderId, type: 'history', excerpt };
    }
    case 'recalled':
      return { seq, senderId, type: 'recalled', excerpt: '' };
    default:
      return null;
  }
}

/** Playing time as media players show it: `0:07`, `12:34`, `1:02:03`. */
export function playingTime(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const seconds = String(total % 60).padStart(2, '0');
  const minutes = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}
