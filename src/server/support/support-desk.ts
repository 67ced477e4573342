import type { BackgroundWork } from '../background.js';
import type { FastifyBaseLogger } from 'fastify';
import type {
  Message,
  PageView,
  SupportActivity,
  SupportAgent,
  SupportAvailability,
  SupportConfig,
  SupportConversation,
  SupportConversationResult,
  User,
} from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { CommandError } from '../errors.js';
import type { EventStream, EventSubscriber } from '../events/event-stream.js';
import type { CommittedEvent } from '../events/events.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { MembershipCache } from '../membership.js';
import type { Presence } from '../presence.js';
import type { PushNotifier } from '../push/push-notifier.js';
import type { Storage } from '../storage/storage.js';
import type { SupportCaseRecord, SupportChange } from './case-decisions.js';
import { CustomerDesk } from './customer-desk.js';
import type { SupportSettings } from './support-settings.js';
import { availabilityAt, leastBusyAgent, routeCase } from './team-decisions.js';

export interface SupportDeskOptions {
  /** Where connections join and leave the team's and the cases' rooms. */
  fanOut: FanOut;
  /** Where committed case changes are published (to connections, webhooks...). */
  events: EventStream;
  storage: Storage;
  presence: Presence;
  membership: MembershipCache;
  push: PushNotifier;
  clock: Clock;
  logger: FastifyBaseLogger;
  settings: SupportSettings;
  /** Where routing and availability news run, so that a shutdown waits for them. */
  background: BackgroundWork;
}

/**
 * The support team at work, and the command API of agents and of the agent role: who may
 * act as an agent, when the team answers, who answers a new question (the online agent
 * with the fewest open cases), and telling everyone concerned about each change once it
 * has committed. What customers do is in customer-desk.ts.
 */
export class SupportDesk implements EventSubscriber {
  readonly settings: SupportSettings;
  /** What customers do. */
  readonly customers: CustomerDesk;
  readonly #options: SupportDeskOptions;
  /** One case change at a time per conversation, so that two quick messages route once. */
  readonly #queues = new Map<string, Promise<void>>();

  constructor(options: SupportDeskOptions) {
    this.#options = options;
    this.settings = options.settings;
    this.customers = new CustomerDesk(this, options);
    options.presence.onChange(({ userId }) => void options.background.run(this.#presenceChanged(userId)));
  }

  get #support() {
    return this.#options.storage.support;
  }

  /** Gives the configured agents their role. */
  async start(): Promise<void> {
    const { agentIds } = this.settings;
    if (agentIds.length > 0) await this.#support.write.grantAgentRole(agentIds, this.#options.clock.now());
  }

  isAgent(userId: string): Promise<boolean> {
    return this.#support.read.isAgent(userId);
  }

  /** The visitors this user signed in as: their sessions hear of those conversations too. */
  claimedVisitorIds(userId: string): Promise<string[]> {
    return this.#support.read.claimedVisitorIds(userId);
  }

  async config(): Promise<SupportConfig> {
    const { name, greeting, awayMessage, prechat } = this.settings;
    return { name, greeting, awayMessage, prechat, availability: await this.availability() };
  }

  async availability(): Promise<SupportAvailability> {
    const online = await this.#onlineAgents();
    return availabilityAt(this.settings, online.length > 0, this.#options.clock.now());
  }

  /** The caller must be an agent; `forbidden` otherwise. */
  async requireAgent(userId: string): Promise<void> {
    if (!(await this.isAgent(userId))) throw new CommandError('forbidden', 'only support agents may do this');
  }

  /** The case of a support conversation the caller is an agent of; `not_found` otherwise. */
  async requireAgentCase(conversationId: string, userId: string): Promise<SupportCaseRecord> {
    await this.requireAgent(userId);
    await this.#options.membership.requireMember(conversationId, userId);
    const record = await this.#support.read.getCase(conversationId);
    if (!record) throw new CommandError('not_found', 'no such support conversation');
    return record;
  }

  /**
   * A message in a support conversation is durable: pushes go to the customer (from an
   * agent) or to the agent answering (everyone of the team while nobody is); a customer's
   * message reopens a resolved case and finds someone to answer.
   */
  follow(event: CommittedEvent): Promise<void> | undefined {
    if (event.type !== 'entry.added' || event.audience?.conversationType !== 'support') return undefined;
    return this.#messageSent(event.entry, event.audience.memberIds);
  }

  #messageSent(message: Message, members: readonly string[]): Promise<void> {
    return this.#serially(message.conversationId, async () => {
      const record = await this.#support.read.getCase(message.conversationId);
      if (!record) return;
      const fromCustomer = record.customerId === message.senderId;
      const recipients = !fromCustomer
        ? [record.customerId]
        : record.assigneeId !== null
          ? [record.assigneeId]
          : members.filter((userId) => userId !== record.customerId);
      void this.#options.background.run(this.#options.push.notifyMessage(message, recipients));
      if (fromCustomer) await this.#findAnswer(record);
    });
  }

  async #findAnswer(waiting: SupportCaseRecord): Promise<void> {
    const { clock } = this.#options;
    let record = waiting;
    if (record.status === 'resolved') {
      const { conversationId } = record;
      const change = await this.#support.write.setCaseStatus({ conversationId, status: 'open', by: null, now: clock.now() });
      await this.publish(change);
      record = change.case;
    }
    const online = await this.#onlineAgents();
    const route = routeCase(record.assigneeId, online);
    if (route === 'assign') {
      const [open, lastAssigned] = await Promise.all([
        this.#support.read.openCaseCounts(),
        this.#support.read.lastAssignedAt(online),
      ]);
      await this.assign(record.conversationId, leastBusyAgent(online, open, lastAssigned)!, null, true);
    } else if (route === 'away') {
      // Nobody of the team is here: tell the customer when someone will be (once per wait).
      const now = clock.now();
      const nextOpenAt = this.settings.hours?.nextOpening(now) ?? null;
      const message = this.settings.awayMessage;
      await this.publish(await this.#support.write.recordAway({ conversationId: record.conversationId, nextOpenAt, message, now }));
    }
  }

  /** Makes `agentId` answer the case; `by` is who decided (null: routing). */
  async assign(
    conversationId: string,
    agentId: string,
    by: string | null,
    onlyIfUnassigned = false,
  ): Promise<SupportChange> {
    const now = this.#options.clock.now();
    const change = await this.#support.write.assignCase({ conversationId, agentId, by, onlyIfUnassigned, now });
    await this.publish(change);
    return change;
  }

  /** An agent takes the case or hands it to another agent. */
  async assignByAgent(conversationId: string, agentId: string, caller: User): Promise<SupportConversationResult> {
    await this.requireAgentCase(conversationId, caller.id);
    await this.assign(conversationId, agentId, caller.id);
    return this.result(conversationId, caller);
  }

  /** An agent resolves or reopens the case; a resolution goes to the host's webhooks. */
  async setStatus(conversationId: string, status: 'open' | 'resolved', caller: User): Promise<SupportConversationResult> {
    await this.requireAgentCase(conversationId, caller.id);
    const now = this.#options.clock.now();
    const change = await this.#support.write.setCaseStatus({ conversationId, status, by: caller.id, now });
    await this.publish(change);
    if (change.changed && status === 'resolved') {
      await this.#options.events.publish({ type: 'support.case-resolved', conversationId, record: change.case, by: caller.id });
    }
    return this.result(conversationId, caller);
  }

  /** The customer's recent pages and what happened to the case, for an agent. */
  async details(conversationId: string, callerId: string): Promise<{ pages: PageView[]; activity: SupportActivity[] }> {
    await this.requireAgentCase(conversationId, callerId);
    return this.#support.read.caseDetails(conversationId);
  }

  /** The team as an agent sees it: who is online and how many open cases each answers. */
  async agents(callerId: string): Promise<{ agents: SupportAgent[] }> {
    await this.requireAgent(callerId);
    const users = await this.#options.storage.accounts.read.users(await this.#support.read.listAgentIds());
    const [online, open] = await Promise.all([
      this.#options.presence.onlineAmong(users.map((agent) => agent.id)),
      this.#support.read.openCaseCounts(),
    ]);
    const agents: SupportAgent[] = users
      .map((agent) => ({ user: agent, online: online.has(agent.id), openCount: open.get(agent.id) ?? 0 }))
      .sort((a, b) => a.user.name.localeCompare(b.user.name) || (a.user.id < b.user.id ? -1 : 1));
    return { agents };
  }

  /**
   * After a committed case change: its timeline events to everyone in the conversation,
   * the case to every agent.
   */
  async publish(change: SupportChange): Promise<void> {
    if (!change.changed) return;
    const { events, storage } = this.#options;
    const { conversationId, assigneeId, awayNotified: _away, ...supportCase } = change.case;
    if (change.events.length > 0) await events.publish({ type: 'timeline.changed', conversationId, entries: change.events });
    const [customer] = await storage.accounts.read.users([supportCase.customerId]);
    if (!customer) return;
    await events.publish({
      type: 'support.case-changed',
      conversationId,
      change: { conversationId, assigneeId, case: supportCase, customer },
    });
  }

  /** The support conversation as the caller sees it, with the profiles it names. */
  async result(conversationId: string, caller: User): Promise<SupportConversationResult> {
    const conversation = await this.view(conversationId, caller.id);
    const ids = [conversation.assigneeId, conversation.case?.customerId].filter(
      (id): id is string => !!id && id !== caller.id,
    );
    return { conversation, users: [caller, ...(await this.#options.storage.accounts.read.users(ids))] };
  }

  async view(conversationId: string, userId: string): Promise<SupportConversation> {
    const conversation = await this.#options.storage.conversations.read.view(conversationId, userId);
    if (conversation?.type !== 'support') throw new CommandError('not_found', 'no such support conversation');
    return conversation;
  }

  /**
   * Makes an agent (after their handshake, or given the role) a member of every open
   * case, with their connections in those rooms and in the agents' room.
   */
  async agentConnected(agentId: string): Promise<void> {
    const { membership, clock, fanOut } = this.#options;
    const joined = await this.#support.write.joinOpenCases(agentId, clock.now());
    for (const conversationId of joined) membership.forget(conversationId);
    fanOut.agentJoined(agentId, joined);
  }

  /** Gives users the agent role at runtime; those connected start working at once. */
  async grant(userIds: readonly string[]): Promise<void> {
    await this.#support.write.grantAgentRole(userIds, this.#options.clock.now());
    for (const userId of userIds) await this.agentConnected(userId);
  }

  /**
   * Takes the role away: the user leaves every case (their connections at once), and
   * the cases they answered wait for another agent.
   */
  async revoke(userId: string): Promise<void> {
    const { membership, clock, fanOut } = this.#options;
    const { left, unassigned } = await this.#support.write.revokeAgentRole(userId, clock.now());
    for (const conversationId of left) membership.forget(conversationId);
    fanOut.agentLeft(userId, left);
    for (const conversationId of unassigned) {
      const record = await this.#support.read.getCase(conversationId);
      if (record) await this.publish({ case: record, events: [], changed: true });
    }
  }

  /** Gives or takes the role as an administrator says; nothing when the user has it as wanted. */
  async setAgentRole(userId: string, agent: boolean): Promise<void> {
    if (agent === (await this.isAgent(userId))) return;
    if (agent) await this.grant([userId]);
    else await this.revoke(userId);
  }

  async #onlineAgents(): Promise<string[]> {
    return [...(await this.#options.presence.onlineAmong(await this.#support.read.listAgentIds()))];
  }

  async #presenceChanged(userId: string): Promise<void> {
    try {
      if (!(await this.isAgent(userId))) return;
      // Told on every agent's coming and going: with several processes, the last news
      // customers heard may have come from another one.
      const availability = await this.availability();
      this.#options.fanOut.supportAvailability(availability);
    } catch (error) {
      this.#options.logger.error({ err: error, userId }, 'could not tell customers how support is available');
    }
  }

  /** Runs `work` after the conversation's earlier work; the answer settles when it has, and never rejects. */
  #serially(conversationId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.#queues.get(conversationId) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: unknown) =>
        this.#options.logger.error({ err: error, conversationId }, 'support routing failed'),
      );
    this.#queues.set(conversationId, next);
    void next.then(() => {
      if (this.#queues.get(conversationId) === next) this.#queues.delete(conversationId);
    });
    return next;
  }
}
