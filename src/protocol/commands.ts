/**
 * The command table, written once: every command's payload and result schema, and every
 * event the server sends on its own. The server validates with it, the contracts (JSON
 * Schema, OpenAPI, docs) are written from it, and the socket.io event maps in `events.ts`
 * are derived from its types, so browser code imports this module with `import type` only
 * and zod stays out of the widget bundle.
 */
import { z } from 'zod';
import {
  AddMembersPayload,
  AnnouncementConfirmationsResult,
  AnnouncementConfirmedEvent,
  ConfirmAnnouncementPayload,
  CreateGroupPayload,
  CreateInvitePayload,
  DecideRequestPayload,
  GroupPayload,
  GroupResult,
  InviteCodePayload,
  InvitePreviewResult,
  InviteResult,
  JoinRequestsResult,
  JoinResult,
  ListInvitesResult,
  MemberPayload,
  MembersPayload,
  MembersResult,
  MuteAllPayload,
  MuteMemberPayload,
  RevokeInvitePayload,
  SetJoinPolicyPayload,
  SetRolePayload,
  UpdateGroupPayload,
  AuthRefreshPayload,
  AuthRefreshResult,
  ConversationPayload,
  ConversationResult,
  ConversationSettingsPayload,
  DeliveredPayload,
  DeliveredResult,
  EditPayload,
  EmptyResult,
  FileAccessResult,
  MessageChangeResult,
  MessageSearchPayload,
  MessageSearchResult,
  PresenceWatchPayload,
  PresenceWatchResult,
  PushConfigResult,
  PushSubscribePayload,
  PushUnsubscribePayload,
  ReadersPayload,
  ReadersResult,
  PlayedPayload,
  PlayedResult,
  PlayersPayload,
  PlayersResult,
  VoicePlayedEvent,
  RecallPayload,
  ReactPayload,
  ReactResult,
  ReceiptsResult,
  HistoryPayload,
  HistoryResult,
  ReadPayload,
  ReadResult,
  SendMessagePayload,
  SendMessageResult,
  StartConversationPayload,
  StartConversationResult,
  SyncPayload,
  SyncRequired,
  SyncResult,
  UserSearchPayload,
  UserSearchResult,
  Conversation,
  JoinDecidedEvent,
  JoinRequestedEvent,
  Message,
  Presence,
  ReadState,
  Receipt,
  Session,
  TypingEvent,
  SupportAgentsResult,
  SupportAssignPayload,
  SupportCasePayload,
  SupportClaimPayload,
  SupportClaimResult,
  SupportConfig,
  SupportContextPayload,
  SupportConversationResult,
  SupportDetailsResult,
  SupportStartPayload,
  SupportAvailability,
  SupportChangedEvent,
  BlockChangedEvent,
  BlockListResult,
  BlockUserPayload,
  GroupBansResult,
} from './schemas.js';

export interface CommandSchema {
  payload: z.ZodType;
  result: z.ZodType;
}

/** Every command: its name, the payload the server validates, the `data` of a successful ack. */
export const commands = {
  'message:send': { payload: SendMessagePayload, result: SendMessageResult },
  'message:history': { payload: HistoryPayload, result: HistoryResult },
  'conversation:sync': { payload: SyncPayload, result: SyncResult },
  'conversation:start': { payload: StartConversationPayload, result: StartConversationResult },
  'conversation:read': { payload: ReadPayload, result: ReadResult },
  'user:search': { payload: UserSearchPayload, result: UserSearchResult },
  'auth:refresh': { payload: AuthRefreshPayload, result: AuthRefreshResult },
  'message:recall': { payload: RecallPayload, result: MessageChangeResult },
  'message:edit': { payload: EditPayload, result: MessageChangeResult },
  /** Put an emoji on a message or take it back: a `reaction` timeline event, never a message. */
  'message:react': { payload: ReactPayload, result: ReactResult },
  'message:readers': { payload: ReadersPayload, result: ReadersResult },
  /** The caller started playing someone else's voice message: it is played for them on every device. */
  'message:played': { payload: PlayedPayload, result: PlayedResult },
  /** The sender of a voice message: who has played it. */
  'message:players': { payload: PlayersPayload, result: PlayersResult },
  'message:search': { payload: MessageSearchPayload, result: MessageSearchResult },
  'conversation:delivered': { payload: DeliveredPayload, result: DeliveredResult },
  'conversation:receipts': { payload: ConversationPayload, result: ReceiptsResult },
  'conversation:settings': { payload: ConversationSettingsPayload, result: ConversationResult },
  'typing:start': { payload: ConversationPayload, result: EmptyResult },
  /** The user emptied the composer or sent: the others' indicator goes at once. */
  'typing:stop': { payload: ConversationPayload, result: EmptyResult },
  'presence:watch': { payload: PresenceWatchPayload, result: PresenceWatchResult },
  'file:access': { payload: ConversationPayload, result: FileAccessResult },
  'push:config': { payload: z.strictObject({}), result: PushConfigResult },
  'push:subscribe': { payload: PushSubscribePayload, result: EmptyResult },
  'push:unsubscribe': { payload: PushUnsubscribePayload, result: EmptyResult },
  'group:create': { payload: CreateGroupPayload, result: GroupResult },
  'group:update': { payload: UpdateGroupPayload, result: GroupResult },
  'group:add-members': { payload: AddMembersPayload, result: GroupResult },
  'group:remove-member': { payload: MemberPayload, result: GroupResult },
  'group:set-role': { payload: SetRolePayload, result: GroupResult },
  'group:transfer-ownership': { payload: MemberPayload, result: GroupResult },
  'group:mute-member': { payload: MuteMemberPayload, result: GroupResult },
  'group:mute-all': { payload: MuteAllPayload, result: GroupResult },
  'group:set-join-policy': { payload: SetJoinPolicyPayload, result: GroupResult },
  'group:leave': { payload: GroupPayload, result: GroupResult },
  'group:dismiss': { payload: GroupPayload, result: GroupResult },
  'group:members': { payload: MembersPayload, result: MembersResult },
  'group:join-requests': { payload: GroupPayload, result: JoinRequestsResult },
  'group:decide-request': { payload: DecideRequestPayload, result: GroupResult },
  'group:confirm-announcement': { payload: ConfirmAnnouncementPayload, result: ConversationResult },
  'group:announcement-confirmations': { payload: GroupPayload, result: AnnouncementConfirmationsResult },
  /** Removes the member (if they are one) and bans them: `member.removed` with `banned: true`. */
  'group:ban-member': { payload: MemberPayload, result: GroupResult },
  'group:unban-member': { payload: MemberPayload, result: GroupResult },
  /** Owner and admins: the group's banned users. */
  'group:bans': { payload: GroupPayload, result: GroupBansResult },
  /** The caller blocks a user; answers with the caller's block list after the change. */
  'user:block': { payload: BlockUserPayload, result: BlockListResult },
  'user:unblock': { payload: BlockUserPayload, result: BlockListResult },
  /** The caller's block list: read on every (re)connect, as block changes made while offline are not replayed. */
  'user:blocks': { payload: z.strictObject({}), result: BlockListResult },
  'invite:create': { payload: CreateInvitePayload, result: InviteResult },
  'invite:list': { payload: GroupPayload, result: ListInvitesResult },
  'invite:revoke': { payload: RevokeInvitePayload, result: InviteResult },
  'invite:preview': { payload: InviteCodePayload, result: InvitePreviewResult },
  'invite:join': { payload: InviteCodePayload, result: JoinResult },
  'support:config': { payload: z.strictObject({}), result: SupportConfig },
  'support:start': { payload: SupportStartPayload, result: SupportConversationResult },
  'support:context': { payload: SupportContextPayload, result: EmptyResult },
  'support:claim': { payload: SupportClaimPayload, result: SupportClaimResult },
  'support:assign': { payload: SupportAssignPayload, result: SupportConversationResult },
  'support:resolve': { payload: SupportCasePayload, result: SupportConversationResult },
  'support:reopen': { payload: SupportCasePayload, result: SupportConversationResult },
  'support:details': { payload: SupportCasePayload, result: SupportDetailsResult },
  'support:agents': { payload: z.strictObject({}), result: SupportAgentsResult },
} as const satisfies Record<string, CommandSchema>;

/** Every event the server sends on its own, with the schema of its one argument. */
export const serverEvents = {
  /** First event on every connection, before any other. */
  'session:ready': Session,
  /** A new timeline event in a conversation the user belongs to. */
  'message:new': Message,
  /** A voice message was played for the first time by someone: to the player's other connections and the sender's. */
  'message:played': VoicePlayedEvent,
  /** A member's read position moved (sent to that member's other connections). */
  'conversation:read': ReadState,
  /** To a group's owner and admins: someone asked to join with an invite link. */
  'join-request:new': JoinRequestedEvent,
  /** To someone who asked to join: the request was approved or rejected. */
  'join-request:decided': JoinDecidedEvent,
  /** To the user's other connections: they blocked or unblocked someone. */
  'user:block-changed': BlockChangedEvent,
  /** A member's delivered or read position moved (to the other members; groups up to `receiptsMembersMax`). */
  'conversation:receipt': Receipt,
  /** The user's own settings of a conversation changed (to their other connections). */
  'conversation:changed': Conversation,
  /** To a group's owner and admins: a member confirmed the current announcement. */
  'group:announcement-confirmed': AnnouncementConfirmedEvent,
  /** Someone is typing in a conversation (never to the typist). */
  typing: TypingEvent,
  /** A watched user came online or went offline. */
  presence: Presence,
  /** To agents: a support case changed (who answers, its status, the customer's page). */
  'support:changed': SupportChangedEvent,
  /** To customers who asked for `support:config`: whether and when the team answers changed. */
  'support:availability': SupportAvailability,
  /** Live delivery to this connection may have missed something: catch up as after a reconnect. */
  'sync:required': SyncRequired,
} as const satisfies Record<string, z.ZodType>;
