/**
 * Customer support: a visitor (or a signed-in customer) talks to a team of agents in one
 * support conversation. Agents see the case around it (status, who answers, the page the
 * customer is on); the customer sees only who answers.
 */
import { z } from 'zod';
import { limits } from '../limits.js';
import { SupportConversation } from './conversations.js';
import { DisplayName, HttpUrl, Id, Timestamp, User } from './primitives.js';
import { Email, PageInfo, PlainText, SupportCase, SupportContext } from './support-case.js';

/** How the pre-chat form asks for a field. */
export const PrechatField = z.enum(['off', 'optional', 'required']);

/** When the team answers. */
export const SupportAvailability = z.object({
  /** At least one agent is connected. */
  agentsOnline: z.boolean(),
  /** Now is within business hours (always true without configured hours). */
  withinHours: z.boolean(),
  /** Outside business hours: when they start again; null within them or without hours. */
  nextOpenAt: Timestamp.nullable(),
  /** The team's IANA time zone, e.g. `Europe/Berlin`. */
  timeZone: z.string(),
});

export const SupportConfig = z.object({
  /** The team's name, the title customers see. */
  name: DisplayName,
  /** Shown before the customer writes; empty: the widget's own greeting. */
  greeting: PlainText(limits.supportMessageLength),
  /** Shown while nobody can answer; empty: the widget's own words. */
  awayMessage: PlainText(limits.supportMessageLength),
  prechat: z.object({ name: PrechatField, email: PrechatField }),
  availability: SupportAvailability,
});

export const Prechat = z.strictObject({
  name: DisplayName.optional(),
  email: Email.optional(),
});

export const SupportStartPayload = z.strictObject({
  page: PageInfo.optional(),
  context: SupportContext.nullable().optional(),
  /** The pre-chat form's answers; required fields must be there when the conversation is new. */
  prechat: Prechat.optional(),
});

export const SupportConversationResult = z.object({
  conversation: SupportConversation,
  /** The caller, and the agent answering (if any). */
  users: z.array(User),
});

export const SupportContextPayload = z.strictObject({
  conversationId: Id,
  page: PageInfo,
  /** Replaces what the host said before; null clears it, omitted keeps it. */
  context: SupportContext.nullable().optional(),
});

export const SupportAssignPayload = z.strictObject({
  conversationId: Id,
  /** The agent who answers from now on: oneself to take it, another agent to transfer it. */
  agentId: Id,
});

export const SupportCasePayload = z.strictObject({
  conversationId: Id,
});

export const PageView = z.object({
  url: HttpUrl,
  title: z.string(),
  context: SupportContext.nullable(),
  at: Timestamp,
});

/** What happened to a case, for agents; never in the timeline. */
export const SupportActivity = z.object({
  kind: z.enum(['assigned', 'resolved', 'reopened']),
  /** The agent who did it; null when the server did (routing, a customer writing again). */
  by: Id.nullable(),
  /** With `assigned`: who answers from then on. */
  agentId: Id.nullable(),
  at: Timestamp,
});

export const SupportDetailsResult = z.object({
  /** The pages the customer was on in this conversation, newest first. */
  pages: z.array(PageView),
  /** Newest first. */
  activity: z.array(SupportActivity),
});

export const SupportAgent = z.object({
  user: User,
  online: z.boolean(),
  /** Open conversations assigned to the agent. */
  openCount: z.number().int().nonnegative(),
});

export const SupportAgentsResult = z.object({
  agents: z.array(SupportAgent),
});

export const SupportClaimPayload = z.strictObject({
  visitorId: Id,
  secret: z.string().min(1).max(128),
});

export const SupportClaimResult = z.object({
  /** The support conversations that were the visitor's and are now the caller's. */
  conversations: z.array(SupportConversation),
  users: z.array(User),
});

/** To agents: a case changed (assignment, status, the customer's page or details). */
export const SupportChangedEvent = z.object({
  conversationId: Id,
  assigneeId: Id.nullable(),
  case: SupportCase,
  /** The customer's profile as it is now (the pre-chat form may have named them). */
  customer: User,
});

export type PrechatField = z.infer<typeof PrechatField>;
export type SupportAvailability = z.infer<typeof SupportAvailability>;
export type SupportConfig = z.infer<typeof SupportConfig>;
export type Prechat = z.infer<typeof Prechat>;
export type SupportStartPayload = z.input<typeof SupportStartPayload>;
export type SupportConversationResult = z.infer<typeof SupportConversationResult>;
export type SupportContextPayload = z.input<typeof SupportContextPayload>;
export type SupportAssignPayload = z.input<typeof SupportAssignPayload>;
export type SupportCasePayload = z.input<typeof SupportCasePayload>;
export type PageView = z.infer<typeof PageView>;
export type SupportActivity = z.infer<typeof SupportActivity>;
export type SupportDetailsResult = z.infer<typeof SupportDetailsResult>;
export type SupportAgent = z.infer<typeof SupportAgent>;
export type SupportAgentsResult = z.infer<typeof SupportAgentsResult>;
export type SupportClaimPayload = z.input<typeof SupportClaimPayload>;
export type SupportClaimResult = z.infer<typeof SupportClaimResult>;
export type SupportChangedEvent = z.infer<typeof SupportChangedEvent>;
