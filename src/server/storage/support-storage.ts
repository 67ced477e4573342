/**
 * The support part of the storage contract: agents, anonymous visitors, and the case
 * behind each support conversation.
 *
 * A support conversation has the customer and every agent (who exists as a user) as
 * active members: agents read and answer every case of the team, and unread counts,
 * receipts, typing and sync work as in any conversation. Agents join silently (no
 * timeline event); what the customer sees of the team is the `support.agent-joined`
 * event of whoever answers. Status, assignment and the customer's page are the case's,
 * outside the timeline; each change bumps the conversation's change version so that
 * agents' syncs list it.
 */
import type {
  Message,
  PageInfo,
  PageView,
  SupportActivity,
  SupportCase,
  SupportContext,
  User,
} from '../../protocol/index.js';

export interface SupportCaseRecord extends SupportCase {
  conversationId: string;
  assigneeId: string | null;
  /** A `support.away` event was recorded since the case was last assigned or reopened. */
  awayNotified: boolean;
}

/** What a case change did. */
export interface SupportChange {
  case: SupportCaseRecord;
  /** Timeline events recorded (`support.agent-joined`, `support.away`), in seq order. */
  events: Message[];
  /** Whether anything changed at all. */
  changed: boolean;
}

export interface VisitorRecord {
  id: string;
  number: number;
  /** SHA-256 of the visitor's secret, base64url. */
  secretHash: string;
  /** The signed-in user who claimed the visitor, if any. */
  claimedBy: string | null;
}

export interface CreateSupportConversationInput {
  id: string;
  customerId: string;
  /** The team's name, stored as the conversation's name. */
  name: string;
  page: PageInfo | null;
  context: SupportContext | null;
  email: string | null;
  now: number;
}

export interface CaseDetails {
  page?: PageInfo;
  /** null clears it; undefined keeps it. */
  context?: SupportContext | null;
  email?: string;
}

export interface AssignCaseInput {
  conversationId: string;
  agentId: string;
  /** Who assigned: an agent, or null for routing. */
  by: string | null;
  onlyIfUnassigned: boolean;
  now: number;
}

export interface CaseStatusInput {
  conversationId: string;
  status: 'open' | 'resolved';
  by: string | null;
  now: number;
}

export interface AwayInput {
  conversationId: string;
  nextOpenAt: number | null;
  /** The team's away message; empty for the client's own words. */
  message: string;
  now: number;
}

export interface ClaimResult {
  /** The support conversations that moved from the visitor to the user. */
  conversationIds: string[];
  /** One `support.identified` event per conversation. */
  events: Message[];
}

export interface SupportStorage {
  /** Gives the agent role (idempotent). The user need not exist yet. */
  grantAgentRole(userIds: readonly string[], now: number): Promise<void>;
  /**
   * Takes the role away: the user leaves every support conversation (state `removed`,
   * without a timeline event), and the open cases assigned to them wait unassigned.
   */
  revokeAgentRole(userId: string, now: number): Promise<{ left: string[]; unassigned: string[] }>;
  /** Ids of users with the agent role, existing users or not. */
  listAgentIds(): Promise<string[]>;
  isAgent(userId: string): Promise<boolean>;
  /**
   * Makes the agent (an existing user) an active member of every open support
   * conversation they are not in yet (everything in it unread); returns those ids.
   */
  joinOpenCases(agentId: string, now: number): Promise<string[]>;

  /**
   * 32 random bytes made on first use and kept with the data: the key of visitors'
   * tokens, the same for every process sharing this storage.
   */
  visitorTokenSecret(): Promise<Uint8Array>;
  /** Creates a visitor and their user record named "Visitor #<number>". */
  createVisitor(input: { id: string; secretHash: string; now: number }): Promise<VisitorRecord>;
  getVisitor(id: string): Promise<VisitorRecord | null>;
  /** The visitors this user claimed, oldest first. */
  claimedVisitorIds(userId: string): Promise<string[]>;

  /**
   * The customer's most recently active support conversation; if they have none, creates
   * it (with `input.id`) and its open, unassigned case, with the customer and every agent
   * as members. Concurrent calls for one customer create one. The customer must exist
   * and not be an agent (`forbidden`); agents who do not exist yet join when they first
   * connect (`joinOpenCases`).
   */
  ensureSupportConversation(
    input: CreateSupportConversationInput,
  ): Promise<{ record: SupportCaseRecord; created: boolean }>;
  /** The customer's most recently active support conversation, or null. */
  latestCaseOf(customerId: string): Promise<SupportCaseRecord | null>;
  getCase(conversationId: string): Promise<SupportCaseRecord | null>;
  /**
   * Updates the customer's page (recording a page view), context or e-mail. A page view
   * is kept only when it differs from the last one; at most `limits.supportPagesKept`.
   */
  updateCaseDetails(conversationId: string, details: CaseDetails, now: number): Promise<SupportChange>;
  /**
   * Makes `agentId` (an agent and a member) answer the case, recording
   * `support.agent-joined` (sender: the agent) and the activity. With `onlyIfUnassigned`
   * it does nothing when someone answers already (routing racing an agent who takes it).
   * Assigning the agent who answers already changes nothing.
   */
  assignCase(input: AssignCaseInput): Promise<SupportChange>;
  /** `resolved` or `open` (reopen); the assignee stays. Records the activity. */
  setCaseStatus(input: CaseStatusInput): Promise<SupportChange>;
  /**
   * Records `support.away` (sender: the customer) unless one was recorded since the case
   * was last assigned or reopened.
   */
  recordAway(input: AwayInput): Promise<SupportChange>;
  /** Open cases per agent who answers at least one. */
  openCaseCounts(): Promise<Map<string, number>>;
  /** When each agent was last assigned a case (routing breaks ties with it). */
  lastAssignedAt(agentIds: readonly string[]): Promise<Map<string, number>>;
  /** Page views and activity of the case, newest first. */
  caseDetails(conversationId: string): Promise<{ pages: PageView[]; activity: SupportActivity[] }>;
  /**
   * Moves the visitor's support conversations to the user: the user becomes their
   * customer (an active member who has read what the visitor had), the visitor leaves,
   * and each records `support.identified`. The visitor is marked claimed by the user and
   * gives no more tokens. Claiming again by the same user returns nothing new.
   */
  claimVisitor(input: { visitorId: string; user: User; now: number }): Promise<ClaimResult>;
}
