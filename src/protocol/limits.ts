/** Limits every server enforces; clients use them to stop bad input early. */
export const limits = {
  /** Longest text message, in UTF-16 code units (what `String.length` counts). */
  textLength: 4000,
  idLength: 128,
  nameLength: 100,
  urlLength: 2048,
  clientIdMinLength: 8,
  clientIdMaxLength: 64,
  /** Messages per `message:history` page: default and maximum. */
  historyPageDefault: 50,
  historyPageMax: 100,
  /** Conversations per `sync` page: default and maximum. */
  syncPageDefault: 100,
  syncPageMax: 500,
  searchQueryLength: 64,
  searchResultsMax: 20,
  /** Mentioned user ids in one message. */
  mentionsMax: 50,
  descriptionLength: 500,
  announcementLength: 2000,
  /** Ids of each list (confirmed, not yet) that `group:announcement-confirmations` gives. */
  announcementListMax: 200,
  /** Members of one group, the owner included. */
  groupMembersMax: 10_000,
  /** Users added by one `group:create` or `group:add-members`. */
  membersPerCallMax: 200,
  /** Members per `group:members` page: default and maximum. */
  membersPageDefault: 100,
  membersPageMax: 200,
  /** Active (usable) invite links of one group. */
  activeInvitesMax: 50,
  inviteUsesMax: 100_000,
  /** Invite codes: 32 characters of base64url, i.e. 192 bits of randomness. */
  inviteCodeLength: 32,
  fileNameLength: 255,
  /** Characters of the quoted message a reply carries. */
  replyExcerptLength: 120,
  /** How long after sending the sender may recall (group owners and admins: always). */
  recallWindowMs: 2 * 60_000,
  /**
   * Reactions: different emoji on one message, emoji one user may put on one message, and
   * the longest emoji taken, in UTF-16 units (a flag or a family is a sequence of several).
   */
  reactionEmojiMax: 20,
  reactionsPerUserMax: 3,
  reactionEmojiLength: 32,
  /** A typing indicator shows this long unless renewed; clients renew at most every `typingRenewMs`. */
  typingTtlMs: 6_000,
  typingRenewMs: 3_000,
  /** Users one connection may watch the presence of. */
  presenceWatchMax: 200,
  /** Groups up to this size share every member's read position live ("read by N"). */
  receiptsMembersMax: 500,
  /** Full-text search: query length, results per page. */
  messageSearchLength: 100,
  messageSearchResultsMax: 50,
  /** Support: a page's title, the host's context of a page, pre-chat e-mail, the team's texts. */
  pageTitleLength: 300,
  supportContextKeys: 20,
  supportContextKeyLength: 64,
  supportContextValueLength: 500,
  emailLength: 254,
  supportMessageLength: 1000,
  /** Page views kept per support conversation. */
  supportPagesKept: 20,
  /** Longest voice message; the recorder stops there. */
  voiceDurationMaxMs: 10 * 60_000,
  /** Steps of a voice message's waveform. */
  waveformSteps: 100,
  /**
   * A merged chat history: messages in it (and in each history inside it), characters of
   * text over all its levels, and levels (a history in a history in a history).
   */
  historyItemsMax: 100,
  historyTextMax: 256_000,
  historyDepthMax: 3,
  /** People one user may have blocked at a time. */
  blockedUsersMax: 1000,
  /** Default upload limit of the reference server (configurable there). */
  fileSizeDefaultMax: 20 * 1024 * 1024,
} as const;
