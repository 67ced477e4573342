import { playingTime } from '../../protocol/bodies.js';
import { plainText, type Message, type PushNotification } from '../../protocol/index.js';

/** Characters of the message a push shows; lock screens show little more. */
const excerptLength = 120;

/**
 * What the push of a new message says, or null for timeline entries that notify no one
 * (system events, edits, recalls). The server speaks no language of its own here: a
 * photo or file shows as a symbol (and the file's name).
 */
export function pushNotificationOf(
  message: Message,
  names: { senderName: string | null; groupName: string | null },
): PushNotification | null {
  const excerpt = excerptOf(message);
  if (excerpt === null) return null;
  const sender = names.senderName ?? message.senderId;
  const group = names.groupName;
  return {
    conversationId: message.conversationId,
    seq: message.seq,
    title: group ?? sender,
    body: group === null ? excerpt : `${sender}: ${excerpt}`,
    tag: message.conversationId,
  };
}

function excerptOf({ body }: Message): string | null {
  switch (body.type) {
    case 'text':
      return truncate(plainText(body.text).replace(/\s+/g, ' ').trim());
    case 'image':
      return '📷';
    case 'file':
      return truncate(`📎 ${body.file.name}`);
    case 'video':
      return '🎬';
    case 'voice':
      return `🎤 ${playingTime(body.duration)}`;
    case 'contact':
      return truncate(`👤 ${body.user.name}`);
    case 'history':
      return '🗂️';
    default:
      return null;
  }
}

function truncate(text: string): string {
  const characters = [...text];
  return characters.length <= excerptLength
    ? text
    : `${characters.slice(0, excerptLength - 1).join('').trimEnd()}…`;
}
