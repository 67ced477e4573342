/**
 * Stable error codes. Clients switch on `code`; `message` is for people and logs.
 * New codes may be added; a client treats an unknown code like `internal`.
 */
export const ErrorCode = {
  /** The payload does not match the event's schema; `issues` says where. Nothing changed. */
  InvalidPayload: 'invalid_payload',
  /** The handshake carried no token, or one that does not verify. */
  Unauthenticated: 'unauthenticated',
  /** The token verified but has expired: get a new one and reconnect (or `auth:refresh`). */
  TokenExpired: 'token_expired',
  /** The handshake came from an origin the server does not allow. */
  OriginNotAllowed: 'origin_not_allowed',
  /** The host blocked this user: sessions end and new ones are refused until unblocked. */
  UserBlocked: 'user_blocked',
  /** The host deleted this user: the account can never sign in again. */
  UserDeleted: 'user_deleted',
  /** Authenticated, but not allowed to do this (e.g. refresh with another user's token). */
  Forbidden: 'forbidden',
  /**
   * The conversation, user or message does not exist, or is not visible to the caller
   * (a non-member gets this too, so that a conversation's existence stays private).
   */
  NotFound: 'not_found',
  /** Too many events from this connection; retry after `retryAfterMs`. Nothing changed. */
  RateLimited: 'rate_limited',
  /** The server does not know this event name. */
  UnknownEvent: 'unknown_event',
  /** The server failed; nothing was acknowledged, so the command may be retried as is. */
  Internal: 'internal',
  /** The server cannot reach its storage right now; retry later. Nothing changed. */
  Unavailable: 'unavailable',
  /** The sender is muted in this group, or the group is muted for everyone but admins. */
  Muted: 'muted',
  /** The group was dismissed: its timeline is closed and its links no longer work. */
  GroupDismissed: 'group_dismissed',
  /** The group has reached its member limit. */
  GroupFull: 'group_full',
  /** The owner cannot leave: hand ownership over first, or dismiss the group. */
  OwnerMustTransfer: 'owner_must_transfer',
  /** No such invite code, or it was revoked (the two are not told apart). */
  InviteInvalid: 'invite_invalid',
  InviteExpired: 'invite_expired',
  /** The invite's maximum number of uses is reached. */
  InviteUsedUp: 'invite_used_up',
  /** The group does not take new members by link right now. */
  JoinClosed: 'join_closed',
  /** This user was removed from the group; links no longer let them back in. */
  RemovedFromGroup: 'removed_from_group',
  /**
   * An owner or admin banned this user from the group: links and join requests do not let
   * them in, and nobody can add them, until the ban is lifted (`group:unban-member`).
   */
  BannedFromGroup: 'banned_from_group',
  /**
   * The other person cannot be reached by the caller: no single-chat message, new single
   * chat or group add between them. Given alike whichever of the two blocked the other,
   * with the same message, so that it tells the blocked person nothing more.
   */
  RecipientUnavailable: 'recipient_unavailable',
  /** Only the sender may recall, and only within `limits.recallWindowMs` (admins: always). */
  RecallWindowPassed: 'recall_window_passed',
  /** Only the sender's own text messages can be edited, and not once recalled. */
  NotEditable: 'not_editable',
  /** The group's announcement changed (or was removed) since the one being confirmed: confirm the current one. */
  AnnouncementChanged: 'announcement_changed',
  /**
   * The message has `limits.reactionEmojiMax` different emoji already, or the user put
   * `limits.reactionsPerUserMax` on it; the message says which. Nothing changed.
   */
  ReactionLimit: 'reaction_limit',
  /** An upload is larger than the server allows; the error says the limit. */
  FileTooLarge: 'file_too_large',
  /** The upload's content (sniffed, not its name) is not of an allowed type. */
  FileTypeNotAllowed: 'file_type_not_allowed',
  /**
   * The upload would take the user past what they may keep stored (all their uploads, or
   * those not sent yet); the message says which. Nothing was stored.
   */
  QuotaExceeded: 'quota_exceeded',
  /**
   * A merged chat history would pass `limits.historyItemsMax` messages in one level,
   * `limits.historyTextMax` characters of text or `limits.historyDepthMax` levels.
   */
  HistoryTooLarge: 'history_too_large',
  /** The anonymous visitor signed in: the identity now belongs to that user and gives no tokens. */
  VisitorClaimed: 'visitor_claimed',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes after which sending the same command again, unchanged, may succeed. */
export const retryableErrorCodes: ReadonlySet<string> = new Set<ErrorCode>([
  ErrorCode.RateLimited,
  ErrorCode.Internal,
  ErrorCode.Unavailable,
  ErrorCode.TokenExpired,
]);

export interface ValidationIssue {
  /** Dotted path into the payload, e.g. `body.text`; empty for the payload itself. */
  path: string;
  message: string;
}

export interface ProtocolError {
  code: ErrorCode;
  message: string;
  /** With `rate_limited`: how long to wait before the next event. */
  retryAfterMs?: number;
  /** With `invalid_payload`: what was wrong. */
  issues?: ValidationIssue[];
}
