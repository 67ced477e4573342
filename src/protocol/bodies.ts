/** Helpers about message bodies that clients and servers share (no schema library needed). */
import type {
  EditBody,
  FileBody,
  ImageBody,
  MessageBody,
  OutgoingBody,
  RecallBody,
  ReplyRef,
  SystemBody,
  TextBody,
} from './schemas.js';
import { plainText } from './formatting.js';
import { limits } from './limits.js';

/**
 * A message as its author composed it, before the server stored it: what a client shows
 * for an unsent message. `toOutgoing` turns it into what goes on the wire.
 */
export type ComposedBody = TextBody | ImageBody | FileBody;

/** Timeline entries that record something about other entries; never shown as messages. */
export type EventBody = EditBody | RecallBody | SystemBody;

/** What goes on the wire for a composed body: attachments travel as their file id. */
export function toOutgoing(body: ComposedBody): OutgoingBody {
  return body.type === 'text' ? body : { type: body.type, fileId: body.file.id };
}

/** An edit or recall event: it changes an earlier entry and is not shown by itself. */
export function isChangeEvent(body: MessageBody): body is EditBody | RecallBody {
  return body.type === 'edit' || body.type === 'recall';
}

/** A message someone wrote (or its recalled remains), as opposed to an event. */
export function isMessageBody(body: MessageBody): body is TextBody | ImageBody | FileBody | Extract<MessageBody, { type: 'recalled' }> {
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
      return { seq, senderId, type: body.type, excerpt: truncateText(body.file.name, limits.replyExcerptLength) };
    case 'recalled':
      return { seq, senderId, type: 'recalled', excerpt: '' };
    default:
      return null;
  }
}
