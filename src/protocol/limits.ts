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
} as const;
