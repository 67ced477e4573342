/**
 * The socket.io event maps, typed for both directions. Every client -> server event is a
 * command: its last argument is an ack callback that receives an `Ack<Result>`.
 *
 * Runtime schemas for the same events live in `commands.ts` (server side only).
 */
import type { AckCallback } from './ack.js';
import type {
  AddMembersPayload,
  CreateGroupPayload,
  CreateInvitePayload,
  DecideRequestPayload,
  GroupPayload,
  GroupResult,
  InviteCodePayload,
  InvitePreviewResult,
  InviteResult,
  JoinDecidedEvent,
  JoinRequestedEvent,
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
  Conversation,
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
  Presence,
  PresenceWatchPayload,
  PresenceWatchResult,
  PushConfigResult,
  PushSubscribePayload,
  PushUnsubscribePayload,
  ReadersPayload,
  ReadersResult,
  RecallPayload,
  Receipt,
  ReceiptsResult,
  TypingEvent,
  HistoryPayload,
  HistoryResult,
  Message,
  ReadPayload,
  ReadResult,
  ReadState,
  SendMessagePayload,
  SendMessageResult,
  Session,
  StartConversationPayload,
  StartConversationResult,
  SyncPayload,
  SyncRequired,
  SyncResult,
  UserSearchPayload,
  UserSearchResult,
  SupportAgentsResult,
  SupportAssignPayload,
  SupportAvailability,
  SupportCasePayload,
  SupportChangedEvent,
  SupportClaimPayload,
  SupportClaimResult,
  SupportConfig,
  SupportContextPayload,
  SupportConversationResult,
  SupportDetailsResult,
  SupportStartPayload,
} from './schemas.js';

export interface ClientToServerEvents {
  'message:send': (payload: SendMessagePayload, ack: AckCallback<SendMessageResult>) => void;
  'message:history': (payload: HistoryPayload, ack: AckCallback<HistoryResult>) => void;
  'conversation:sync': (payload: SyncPayload, ack: AckCallback<SyncResult>) => void;
  'conversation:start': (
    payload: StartConversationPayload,
    ack: AckCallback<StartConversationResult>,
  ) => void;
  'conversation:read': (payload: ReadPayload, ack: AckCallback<ReadResult>) => void;
  'user:search': (payload: UserSearchPayload, ack: AckCallback<UserSearchResult>) => void;
  'auth:refresh': (payload: AuthRefreshPayload, ack: AckCallback<AuthRefreshResult>) => void;

  'message:recall': (payload: RecallPayload, ack: AckCallback<MessageChangeResult>) => void;
  'message:edit': (payload: EditPayload, ack: AckCallback<MessageChangeResult>) => void;
  'message:readers': (payload: ReadersPayload, ack: AckCallback<ReadersResult>) => void;
  'message:search': (payload: MessageSearchPayload, ack: AckCallback<MessageSearchResult>) => void;
  'conversation:delivered': (payload: DeliveredPayload, ack: AckCallback<DeliveredResult>) => void;
  'conversation:receipts': (payload: ConversationPayload, ack: AckCallback<ReceiptsResult>) => void;
  'conversation:settings': (
    payload: ConversationSettingsPayload,
    ack: AckCallback<ConversationResult>,
  ) => void;
  'typing:start': (payload: ConversationPayload, ack: AckCallback<EmptyResult>) => void;
  /** The user emptied the composer or sent: the others' indicator goes at once. */
  'typing:stop': (payload: ConversationPayload, ack: AckCallback<EmptyResult>) => void;
  'presence:watch': (payload: PresenceWatchPayload, ack: AckCallback<PresenceWatchResult>) => void;
  'file:access': (payload: ConversationPayload, ack: AckCallback<FileAccessResult>) => void;
  'push:config': (payload: Record<string, never>, ack: AckCallback<PushConfigResult>) => void;
  'push:subscribe': (payload: PushSubscribePayload, ack: AckCallback<EmptyResult>) => void;
  'push:unsubscribe': (payload: PushUnsubscribePayload, ack: AckCallback<EmptyResult>) => void;

  'group:create': (payload: CreateGroupPayload, ack: AckCallback<GroupResult>) => void;
  'group:update': (payload: UpdateGroupPayload, ack: AckCallback<GroupResult>) => void;
  'group:add-members': (payload: AddMembersPayload, ack: AckCallback<GroupResult>) => void;
  'group:remove-member': (payload: MemberPayload, ack: AckCallback<GroupResult>) => void;
  'group:set-role': (payload: SetRolePayload, ack: AckCallback<GroupResult>) => void;
  'group:transfer-ownership': (payload: MemberPayload, ack: AckCallback<GroupResult>) => void;
  'group:mute-member': (payload: MuteMemberPayload, ack: AckCallback<GroupResult>) => void;
  'group:mute-all': (payload: MuteAllPayload, ack: AckCallback<GroupResult>) => void;
  'group:set-join-policy': (payload: SetJoinPolicyPayload, ack: AckCallback<GroupResult>) => void;
  'group:leave': (payload: GroupPayload, ack: AckCallback<GroupResult>) => void;
  'group:dismiss': (payload: GroupPayload, ack: AckCallback<GroupResult>) => void;
  'group:members': (payload: MembersPayload, ack: AckCallback<MembersResult>) => void;
  'group:join-requests': (payload: GroupPayload, ack: AckCallback<JoinRequestsResult>) => void;
  'group:decide-request': (payload: DecideRequestPayload, ack: AckCallback<GroupResult>) => void;

  'invite:create': (payload: CreateInvitePayload, ack: AckCallback<InviteResult>) => void;
  'invite:list': (payload: GroupPayload, ack: AckCallback<ListInvitesResult>) => void;
  'invite:revoke': (payload: RevokeInvitePayload, ack: AckCallback<InviteResult>) => void;
  'invite:preview': (payload: InviteCodePayload, ack: AckCallback<InvitePreviewResult>) => void;
  'invite:join': (payload: InviteCodePayload, ack: AckCallback<JoinResult>) => void;

  'support:config': (payload: Record<string, never>, ack: AckCallback<SupportConfig>) => void;
  'support:start': (payload: SupportStartPayload, ack: AckCallback<SupportConversationResult>) => void;
  'support:context': (payload: SupportContextPayload, ack: AckCallback<EmptyResult>) => void;
  'support:claim': (payload: SupportClaimPayload, ack: AckCallback<SupportClaimResult>) => void;
  'support:assign': (payload: SupportAssignPayload, ack: AckCallback<SupportConversationResult>) => void;
  'support:resolve': (payload: SupportCasePayload, ack: AckCallback<SupportConversationResult>) => void;
  'support:reopen': (payload: SupportCasePayload, ack: AckCallback<SupportConversationResult>) => void;
  'support:details': (payload: SupportCasePayload, ack: AckCallback<SupportDetailsResult>) => void;
  'support:agents': (payload: Record<string, never>, ack: AckCallback<SupportAgentsResult>) => void;
}

export interface ServerToClientEvents {
  /** First event on every connection, before any other. */
  'session:ready': (session: Session) => void;
  /** A new timeline event in a conversation the user belongs to. */
  'message:new': (message: Message) => void;
  /** A member's read position moved (sent to that member's other connections). */
  'conversation:read': (state: ReadState) => void;
  /** To a group's owner and admins: someone asked to join with an invite link. */
  'join-request:new': (request: JoinRequestedEvent) => void;
  /** To someone who asked to join: the request was approved or rejected. */
  'join-request:decided': (decision: JoinDecidedEvent) => void;
  /** A member's delivered or read position moved (to the other members; groups up to `receiptsMembersMax`). */
  'conversation:receipt': (receipt: Receipt) => void;
  /** The user's own settings of a conversation changed (to their other connections). */
  'conversation:changed': (conversation: Conversation) => void;
  /** Someone is typing in a conversation (never to the typist). */
  typing: (event: TypingEvent) => void;
  /** A watched user came online or went offline. */
  presence: (presence: Presence) => void;
  /** To agents: a support case changed (who answers, its status, the customer's page). */
  'support:changed': (event: SupportChangedEvent) => void;
  /** To customers who asked for `support:config`: whether and when the team answers changed. */
  'support:availability': (availability: SupportAvailability) => void;
  /** Live delivery to this connection may have missed something: catch up as after a reconnect. */
  'sync:required': (event: SyncRequired) => void;
}

export type CommandName = keyof ClientToServerEvents;

/** The payload type a command takes. */
export type CommandPayload<E extends CommandName> = Parameters<ClientToServerEvents[E]>[0];

/** The `data` type of a command's successful ack. */
export type CommandResult<E extends CommandName> =
  Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer R> ? R : never;
