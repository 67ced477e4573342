/** What a timeline holds: messages people write and the events the server records. */
import { z } from 'zod';
import { limits } from '../limits.js';
import {
  ClientId,
  controlCharacters,
  DisplayName,
  FileId,
  FileName,
  GroupAnnouncement,
  GroupDescription,
  GroupName,
  HttpUrl,
  Id,
  JoinPolicy,
  Seq,
  Timestamp,
  User,
} from './primitives.js';

export const TextBody = z.strictObject({
  type: z.literal('text'),
  text: z
    .string()
    .max(limits.textLength, `must be at most ${limits.textLength} characters`)
    .refine((value) => value.trim().length > 0, 'must not be empty')
    .refine((value) => !controlCharacters.test(value), 'must not contain control characters'),
  /**
   * Ids of the group members this message mentions; the text shows their names. The
   * server keeps only ids of current members. Structured, never parsed from the text.
   */
  mentions: z.array(Id).max(limits.mentionsMax).optional(),
  /** Mentions everyone (`@all`); only a group's owner and admins may. */
  mentionAll: z.boolean().optional(),
});

/**
 * A change the server recorded in a group's (or support conversation's) timeline. Who made it is the message's
 * `senderId` (the member who joined or left, for those events).
 */
export const SystemEvent = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('group.created'), name: GroupName }),
  z.object({ kind: z.literal('members.added'), userIds: z.array(Id) }),
  /** Joined with an invite link; `approvedBy` when the group needs approval. */
  z.object({ kind: z.literal('member.joined'), userId: Id, approvedBy: Id.nullable() }),
  z.object({ kind: z.literal('member.left'), userId: Id }),
  /** `banned`: removed and banned (links and adds no longer let them back in); absent: false. */
  z.object({ kind: z.literal('member.removed'), userId: Id, banned: z.boolean().optional() }),
  z.object({ kind: z.literal('member.role'), userId: Id, role: z.enum(['admin', 'member']) }),
  /** `userId` is the new owner; the previous owner became an admin. */
  z.object({ kind: z.literal('owner.changed'), userId: Id }),
  z.object({ kind: z.literal('member.muted'), userId: Id, muted: z.boolean() }),
  /** While `muted`, only the owner and admins may post. */
  z.object({ kind: z.literal('group.muted'), muted: z.boolean() }),
  /** Only the fields that changed. */
  z.object({
    kind: z.literal('group.updated'),
    name: GroupName.optional(),
    avatar: HttpUrl.nullable().optional(),
    description: GroupDescription.optional(),
    announcement: GroupAnnouncement.optional(),
  }),
  z.object({ kind: z.literal('group.join-policy'), joinPolicy: JoinPolicy }),
  z.object({ kind: z.literal('group.dismissed') }),
  /**
   * Support: `agent` answers the customer from now on (the sender is that agent); their
   * profile comes along, as the customer has no other way to learn it.
   */
  z.object({ kind: z.literal('support.agent-joined'), agent: User }),
  /**
   * Support: the customer wrote while nobody could answer; `nextOpenAt` is when business
   * hours start again (null: within hours, or no hours set), `message` the team's own words
   * for it (empty: the client's). The sender is the customer.
   */
  z.object({
    kind: z.literal('support.away'),
    nextOpenAt: Timestamp.nullable(),
    message: z.string().max(limits.supportMessageLength),
  }),
  /** Support: the anonymous visitor `visitorId` (named `visitorName` then) signed in as the sender. */
  z.object({ kind: z.literal('support.identified'), visitorId: Id, visitorName: DisplayName }),
]);

export const SystemBody = z.object({
  type: z.literal('system'),
  event: SystemEvent,
});

/** An uploaded file as messages carry it; the server fills it from its own record. */
export const FileInfo = z.object({
  /** Opaque; the file is served at `/api/files/<id>` to members of its conversation. */
  id: FileId,
  /** The name the uploader gave, without directories. */
  name: FileName,
  /** Sniffed from the content by the server, never taken from the name. */
  mime: z.string().max(100),
  size: z.number().int().nonnegative(),
});

/** An image; width and height are known before it loads, so the list never jumps. */
export const ImageBody = z.object({
  type: z.literal('image'),
  file: FileInfo,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});

export const FileBody = z.object({
  type: z.literal('file'),
  file: FileInfo,
});

/** Milliseconds of playing time. */
const Duration = z.number().int().positive();

/**
 * A video, played inline. Its picture size and duration are present when the server could
 * read them from the file (recordings made in a browser often do not say).
 */
export const VideoBody = z.object({
  type: z.literal('video'),
  file: FileInfo,
  width: z.number().int().positive().optional(),
  height: z.number().int().positive().optional(),
  duration: Duration.optional(),
});

/** Loudness over a voice message, in equal steps of its time: 0 (silence) to 100. */
export const Waveform = z.array(z.number().int().min(0).max(100)).max(limits.waveformSteps);

/** A voice message, recorded in the composer. */
export const VoiceBody = z.object({
  type: z.literal('voice'),
  file: FileInfo,
  /** What the server read from the file; else what the recorder measured. */
  duration: Duration.max(limits.voiceDurationMaxMs),
  waveform: Waveform,
});

/**
 * A user card: someone shared this person's contact. The server fills the profile from its
 * own record when the card is sent (clients send only the id); opening it starts a single
 * chat with that person.
 */
export const ContactBody = z.object({
  type: z.literal('contact'),
  user: User.pick({ id: true, name: true, avatar: true }),
});

/** The text of a history item: as last edited, without mentions (they name members of another chat). */
export const HistoryTextBody = TextBody.omit({ mentions: true, mentionAll: true });

/** Where a history's messages were taken from, so that clients can title it. */
export const HistorySource = z.discriminatedUnion('kind', [
  /** A single chat: its two people. */
  z.object({ kind: z.literal('single'), userIds: z.tuple([Id, Id]) }),
  /** A group or support conversation: its name when the history was made. */
  z.object({ kind: z.literal('group'), name: GroupName }),
]);

/** One message of a history: who wrote it, when, and what it said then. */
export const HistoryItem = z.object({
  senderId: Id,
  createdAt: Timestamp,
  get body(): HistoryItemBodySchema {
    return HistoryItemBody;
  },
});

/**
 * Messages forwarded as one ("Chat history of Alice and Bob"). The server builds it from
 * its own records when `OutgoingHistory` is sent; files in it are new records of the
 * target conversation, so only its members can fetch them.
 */
export const HistoryBody = z.object({
  type: z.literal('history'),
  from: HistorySource,
  /** Every sender of an item at any level, as they were named when it was forwarded. */
  people: z.array(User.pick({ id: true, name: true, avatar: true })),
  /** Oldest first. */
  items: z.array(HistoryItem).min(1).max(limits.historyItemsMax),
});

/** What a history item may be: a message people write, or a history forwarded into it. */
export const HistoryItemBody = z.discriminatedUnion('type', [
  HistoryTextBody,
  ImageBody,
  FileBody,
  VideoBody,
  VoiceBody,
  ContactBody,
  HistoryBody,
]);

/** Written out because `HistoryItemBody` and `HistoryBody` refer to each other. */
type HistoryItemBodySchema = z.ZodDiscriminatedUnion<
  [
    typeof HistoryTextBody,
    typeof ImageBody,
    typeof FileBody,
    typeof VideoBody,
    typeof VoiceBody,
    typeof ContactBody,
    typeof HistoryBody,
  ],
  'type'
>;

/** A message's body after it was recalled: the content is gone, for everyone. */
export const RecalledBody = z.object({
  type: z.literal('recalled'),
  /** Who recalled it: the sender, or a group's owner or admin. */
  by: Id,
  /** Removed by the host's moderation (`by` is then the sender); only present when true. */
  moderated: z.literal(true).optional(),
});

/**
 * Timeline event: the message at `targetSeq` now has this text (it shows as edited).
 * Clients apply it to their copy; history already returns the target as edited.
 */
export const EditBody = z.object({
  type: z.literal('edit'),
  targetSeq: Seq.min(1),
  text: TextBody,
});

/** Timeline event: the message at `targetSeq` was recalled (its body is now `recalled`). */
export const RecallBody = z.object({
  type: z.literal('recall'),
  targetSeq: Seq.min(1),
  /** The host's moderation removed it; only present when true. */
  moderated: z.literal(true).optional(),
});

/** One emoji on a message and who put it there, in the order they did. */
export const Reaction = z.object({
  emoji: z.string().min(1).max(limits.reactionEmojiLength),
  userIds: z.array(Id).min(1),
});

/**
 * The reactions of a message as of the reaction event at `seq`: a client keeps the state
 * with the highest `seq`, whichever way (live, catch-up, history) it came.
 */
export const Reactions = z.object({
  seq: Seq.min(1),
  /** One entry per emoji, in the order each was first put; at most `limits.reactionEmojiMax`. */
  items: z.array(Reaction).max(limits.reactionEmojiMax),
});

/**
 * Timeline event: `senderId` put (`on`) or took back an emoji on the message at
 * `targetSeq`, which now has `reactions` (its `Reactions` as of this event's seq). It is
 * never shown as a message, counts as nobody's unread and notifies no one.
 */
export const ReactionBody = z.object({
  type: z.literal('reaction'),
  targetSeq: Seq.min(1),
  emoji: Reaction.shape.emoji,
  on: z.boolean(),
  reactions: z.array(Reaction).max(limits.reactionEmojiMax),
});

/** Attach a file uploaded with `POST /api/files` (or forward one from a conversation of yours). */
export const OutgoingImage = z.strictObject({ type: z.literal('image'), fileId: FileId });
export const OutgoingFile = z.strictObject({ type: z.literal('file'), fileId: FileId });
export const OutgoingVideo = z.strictObject({ type: z.literal('video'), fileId: FileId });
/** A recorded audio file; `duration` as the recorder measured it, the waveform as it drew it. */
export const OutgoingVoice = z.strictObject({
  type: z.literal('voice'),
  fileId: FileId,
  duration: Duration.max(limits.voiceDurationMaxMs),
  waveform: Waveform,
});
/** Share a user's contact: an existing user who is not deleted; the server fills the card. */
export const OutgoingContact = z.strictObject({ type: z.literal('contact'), userId: Id });

/**
 * Forward messages of `conversationId` (one the sender may read) as one history. The server
 * builds the body from its records, oldest first; one seq naming a history copies that history.
 */
export const OutgoingHistory = z.strictObject({
  type: z.literal('history'),
  conversationId: Id,
  seqs: z
    .array(Seq.min(1))
    .min(1)
    .max(limits.historyItemsMax)
    .refine((seqs) => new Set(seqs).size === seqs.length, 'must not repeat a seq'),
});

/** What a client may send. */
export const OutgoingBody = z.discriminatedUnion('type', [
  TextBody,
  OutgoingImage,
  OutgoingFile,
  OutgoingVideo,
  OutgoingVoice,
  OutgoingContact,
  OutgoingHistory,
]);

/** What a timeline entry carries. */
export const MessageBody = z.discriminatedUnion('type', [
  TextBody,
  ImageBody,
  FileBody,
  VideoBody,
  VoiceBody,
  ContactBody,
  HistoryBody,
  RecalledBody,
  EditBody,
  RecallBody,
  ReactionBody,
  SystemBody,
]);

/** The message a reply quotes, as it was when the reply was sent. */
export const ReplyRef = z.object({
  seq: Seq.min(1),
  senderId: Id,
  /**
   * The quoted message's type, and the start of its text (the file's or the contact's name;
   * a history's first item's text, or empty: clients title it themselves).
   */
  type: z.enum(['text', 'image', 'file', 'video', 'voice', 'contact', 'history', 'recalled']),
  excerpt: z.string().max(limits.replyExcerptLength),
});

export const Message = z.object({
  /** Server-assigned, unique across the server. */
  id: z.string(),
  conversationId: Id,
  /** Position in the conversation's timeline: 1, 2, 3, … with no gaps. */
  seq: Seq.min(1),
  /** Who wrote it, or who made the change a system event records. */
  senderId: Id,
  /** The sender's idempotency key; server-made for system events. */
  clientId: ClientId,
  body: MessageBody,
  createdAt: Timestamp,
  /** The message this one replies to, in the same conversation. */
  replyTo: ReplyRef.optional(),
  /** When the text was last edited. */
  editedAt: Timestamp.optional(),
  /** Present once someone reacted; a recalled message has none. */
  reactions: Reactions.optional(),
  /**
   * Someone else's voice message that the reader has played (started playing) on any of
   * their devices. Only in what the server answers to that reader (history, sync).
   */
  played: z.literal(true).optional(),
  /**
   * The reader's own voice message: how many others have played it, once one has. Only in
   * what the server answers to its sender (history, sync).
   */
  playedCount: z.number().int().min(1).optional(),
});

export type TextBody = z.infer<typeof TextBody>;
export type SystemEvent = z.infer<typeof SystemEvent>;
export type SystemBody = z.infer<typeof SystemBody>;
export type FileInfo = z.infer<typeof FileInfo>;
export type ImageBody = z.infer<typeof ImageBody>;
export type FileBody = z.infer<typeof FileBody>;
export type VideoBody = z.infer<typeof VideoBody>;
export type VoiceBody = z.infer<typeof VoiceBody>;
export type ContactBody = z.infer<typeof ContactBody>;
export type HistoryTextBody = z.infer<typeof HistoryTextBody>;
export type HistorySource = z.infer<typeof HistorySource>;
export type HistoryItem = z.infer<typeof HistoryItem>;
export type HistoryBody = z.infer<typeof HistoryBody>;
export type HistoryItemBody = z.infer<typeof HistoryItemBody>;
export type OutgoingHistory = z.infer<typeof OutgoingHistory>;
export type RecalledBody = z.infer<typeof RecalledBody>;
export type EditBody = z.infer<typeof EditBody>;
export type RecallBody = z.infer<typeof RecallBody>;
export type Reaction = z.infer<typeof Reaction>;
export type Reactions = z.infer<typeof Reactions>;
export type ReactionBody = z.infer<typeof ReactionBody>;
export type ReplyRef = z.infer<typeof ReplyRef>;
export type OutgoingBody = z.infer<typeof OutgoingBody>;
export type MessageBody = z.infer<typeof MessageBody>;
export type Message = z.infer<typeof Message>;
