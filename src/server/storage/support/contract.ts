/**
 * The support area of storage: agents, anonymous visitors, and the case behind each
 * support conversation. What a change does is decided in src/server/support (the
 * `decide*` functions); a backend loads what a decision looks at, in the transaction it
 * then applies the writes in, and takes seqs for recorded events as it goes.
 */
import type { Message, PageView, SupportActivity, User } from '../../../protocol/index.js';
import type {
  AssignCase,
  CaseDetails,
  OpenCase,
  RecordAway,
  SetCaseStatus,
  SupportCaseRecord,
  SupportChange,
} from '../../support/case-decisions.js';
import type { VisitorRecord } from '../../support/visitor-decisions.js';
import type { StorageArea } from '../area.js';

export interface ClaimResult {
  /** The support conversations that moved from the visitor to the user. */
  conversationIds: string[];
  /** One `support.identified` event per conversation. */
  events: Message[];
}

export interface SupportReads {
  /** Ids of users with the agent role, existing users or not. */
  listAgentIds(): Promise<string[]>;
  isAgent(userId: string): Promise<boolean>;
  getVisitor(id: string): Promise<VisitorRecord | null>;
  /** The visitors this user claimed, oldest first. */
  claimedVisitorIds(userId: string): Promise<string[]>;
  /** The customer's most recently active support conversation, or null. */
  latestCaseOf(customerId: string): Promise<SupportCaseRecord | null>;
  getCase(conversationId: string): Promise<SupportCaseRecord | null>;
  /** Open cases per agent who answers at least one. */
  openCaseCounts(): Promise<Map<string, number>>;
  /** When each agent was last assigned a case (routing breaks ties with it). */
  lastAssignedAt(agentIds: readonly string[]): Promise<Map<string, number>>;
  /** Page views and activity of the case, newest first, as of one moment. */
  caseDetails(conversationId: string): Promise<{ pages: PageView[]; activity: SupportActivity[] }>;
}

export interface SupportWrites {
  /** Gives the agent role (idempotent). The user need not exist yet. */
  grantAgentRole(userIds: readonly string[], now: number): Promise<void>;
  /** See `decideRevokeAgent`. */
  revokeAgentRole(userId: string, now: number): Promise<{ left: string[]; unassigned: string[] }>;
  /** See `decideJoinOpenCases`; returns the conversations joined. */
  joinOpenCases(agentId: string, now: number): Promise<string[]>;
  /**
   * 32 random bytes made on first use and kept with the data: the key of visitors'
   * tokens, the same for every process sharing this storage.
   */
  visitorTokenSecret(): Promise<Uint8Array>;
  /** Creates a visitor with the next number, and their user record named after it. */
  createVisitor(input: { id: string; secretHash: string; now: number }): Promise<VisitorRecord>;
  /**
   * See `decideOpenCase`. Concurrent calls for one customer create one case; agents who
   * do not exist yet join when they first connect (`joinOpenCases`).
   */
  ensureSupportConversation(input: OpenCase & { now: number }): Promise<{ record: SupportCaseRecord; created: boolean }>;
  /** See `decideCaseDetails`. */
  updateCaseDetails(conversationId: string, details: CaseDetails, now: number): Promise<SupportChange>;
  /** See `decideAssign`. */
  assignCase(input: AssignCase & { now: number }): Promise<SupportChange>;
  /** See `decideStatus`. */
  setCaseStatus(input: SetCaseStatus & { now: number }): Promise<SupportChange>;
  /** See `decideAway`. */
  recordAway(input: RecordAway & { now: number }): Promise<SupportChange>;
  /** See `decideClaim`. */
  claimVisitor(input: { visitorId: string; user: User; now: number }): Promise<ClaimResult>;
}

export type SupportStorage = StorageArea<SupportReads, SupportWrites>;
