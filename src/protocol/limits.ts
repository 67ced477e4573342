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
} as const;
