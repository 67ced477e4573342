import type { BackgroundWork } from '../background.js';
import type { FastifyBaseLogger } from 'fastify';
import type {
  Message,
  SupportAvailability,
  SupportConfig,
  SupportConversation,
  SupportConversationResult,
  User,
} from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { CommandError } from '../errors.js';
import type { MembershipCache } from '../membership.js';
import type { Presence } from '../presence.js';
import type { PushNotifier } from '../push/push-notifier.js';
import type { Webhooks } from '../webhooks/webhooks.js';
import type { Storage } from '../storage/storage.js';
import type { SupportCaseRecord, SupportChange } from '../storage/support-storage.js';
import { agentsRoom, conversationRoom, customersRoom, userRoom, type ImServer } from '../types.js';
import type { SupportSettings } from './support-settings.js';

export interface SupportDeskOptions {
  io: ImServer;
  storage: Storage;
  presence: Presence;
  membership: MembershipCache;
  push: PushNotifier;
  clock: Clock;
  logger: FastifyBaseLogger;
  settings: SupportSettings;
  /** Case events (assigned) go to the host's webhooks too. */
  webhooks: Webhooks;
  /** Where routing and availability news run, so that a shutdown waits for them. */
  background: BackgroundWork;
}

/**
 * The support team at work: who may act as an agent, when the team answers, who answers
 * a new question (the online agent with the fewest open cases), and telling everyone
 * concerned about each change once it has committed.
 */
export class SupportDesk {
  readonly settings: SupportSettings;
  readonly #options: SupportDeskOptions;
  /** One case change at a time per conversation, so that two quick messages route once. */
  readonly #queues = new Map<string, Promise<void>>();

  constructor(options: SupportDeskOptions) {
    this.#options = options;
    this.settings = options.settings;
    options.presence.onChange(({ userId }) => void options.background.run(this.#presenceChanged(userId)));
  }

  /** Gives the configured agents their role. */
  async start(): Promise<void> {
    const { agentIds } = this.settings;
    if (agentIds.length > 0) await this.#options.storage.grantAgentRole(agentIds, this.#options.clock.now());
  }

  async config(): Promise<SupportConfig> {
    const { name, greeting, awayMessage, prechat } = this.settings;
    return { name, greeting, awayMessage, prechat, availability: await this.availability() };
  }

  async availability(): Promise<SupportAvailability> {
    const { storage, presence, clock } = this.#options;
    const online = await presence.onlineAmong(await storage.listAgentIds());
    const { hours, timeZone } = this.settings;
    const now = clock.now();
    return {
      agentsOnline: online.size > 0,
      withinHours: hours ? hours.isOpen(now) : true,
      nextOpenAt: hours ? hours.nextOpening(now) : null,
      timeZone,
    };
  }

  /** The caller must be an agent; `forbidden` otherwise. */
  async requireAgent(userId: string): Promise<void> {
    if (!(await this.#options.storage.isAgent(userId))) {
      throw new CommandError('forbidden', 'only support agents may do this');
    }
  }

  /** The case of a support conversation the caller is an agent of; `not_found` otherwise. */
  async requireAgentCase(conversationId: string, userId: string): Promise<SupportCaseRecord> {
    await this.requireAgent(userId);
    await this.#options.membership.requireMember(conversationId, userId);
    const record = await this.#options.storage.getCase(conversationId);
    if (!record) throw new CommandError('not_found', 'no such support conversation');
    return record;
  }

  /**
   * A message in a support conversation is durable: pushes go to the customer (from an
   * agent) or to the agent answering (everyone of the team while nobody is); a customer's
   * message reopens a resolved case and finds someone to answer.
   */
  messageSent(message: Message, memberIds: Iterable<string>): void {
    const members = [...memberIds];
    this.#serially(message.conversationId, async () => {
      const record = await this.#options.storage.getCase(message.conversationId);
      if (!record) return;
      const fromCustomer = record.customerId === message.senderId;
      const recipients = !fromCustomer
        ? [record.customerId]
        : record.assigneeId !== null
          ? [record.assigneeId]
          : members.filter((userId) => userId !== record.customerId);
      void this.#options.push.notifyMessage(message, recipients);
      if (fromCustomer) await this.#findAnswer(record);
    });
  }

  async #findAnswer(waiting: SupportCaseRecord): Promise<void> {
    const { storage, presence, clock } = this.#options;
    let record = waiting;
    if (record.status === 'resolved') {
      const change = await storage.setCaseStatus({
        conversationId: record.conversationId,
        status: 'open',
        by: null,
        now: clock.now(),
      });
      await this.publish(change);
      record = change.case;
    }
    if (record.assigneeId === null) {
      const agentId = await this.#leastBusyOnlineAgent();
      if (agentId) {
        await this.assign(record.conversationId, agentId, null, true);
        return;
      }
    } else if (await presence.isOnline(record.assigneeId)) {
      return;
    }
    // Nobody of the team is here: tell the customer when someone will be (once per wait).
    if ((await presence.onlineAmong(await storage.listAgentIds())).size > 0) return;
    const now = clock.now();
    const nextOpenAt = this.settings.hours?.nextOpening(now) ?? null;
    const message = this.settings.awayMessage;
    await this.publish(await storage.recordAway({ conversationId: record.conversationId, nextOpenAt, message, now }));
  }

  /** Makes `agentId` answer the case; `by` is who decided (null: routing). */
  async assign(
    conversationId: string,
    agentId: string,
    by: string | null,
    onlyIfUnassigned = false,
  ): Promise<SupportChange> {
    const change = await this.#options.storage.assignCase({
      conversationId,
      agentId,
      by,
      onlyIfUnassigned,
      now: this.#options.clock.now(),
    });
    await this.publish(change);
    return change;
  }

  /**
   * After a committed case change: its timeline events to everyone in the conversation,
   * the case to every agent.
   */
  async publish(change: SupportChange): Promise<void> {
    if (!change.changed) return;
    const { io, storage } = this.#options;
    const { conversationId, assigneeId, awayNotified: _away, ...supportCase } = change.case;
    for (const event of change.events) io.to(conversationRoom(conversationId)).emit('message:new', event);
    for (const event of change.events) await this.#options.webhooks.emitMessage(event);
    const [customer] = await storage.getUsers([supportCase.customerId]);
    if (!customer) return;
    io.to(agentsRoom).emit('support:changed', { conversationId, assigneeId, case: supportCase, customer });
  }

  /** The support conversation as the caller sees it, with the profiles it names. */
  async result(conversationId: string, caller: User): Promise<SupportConversationResult> {
    const conversation = await this.view(conversationId, caller.id);
    const ids = [conversation.assigneeId, conversation.case?.customerId].filter(
      (id): id is string => !!id && id !== caller.id,
    );
    return { conversation, users: [caller, ...(await this.#options.storage.getUsers(ids))] };
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
    const { storage, membership, clock, io } = this.#options;
    const joined = await storage.joinOpenCases(agentId, clock.now());
    for (const conversationId of joined) membership.forget(conversationId);
    io.in(userRoom(agentId)).socketsJoin([agentsRoom, ...joined.map(conversationRoom)]);
  }

  /** Gives users the agent role at runtime; those connected start working at once. */
  async grant(userIds: readonly string[]): Promise<void> {
    await this.#options.storage.grantAgentRole(userIds, this.#options.clock.now());
    for (const userId of userIds) await this.agentConnected(userId);
  }

  /**
   * Takes the role away: the user leaves every case (their connections at once), and
   * the cases they answered wait for another agent.
   */
  async revoke(userId: string): Promise<void> {
    const { storage, membership, clock, io } = this.#options;
    const { left, unassigned } = await storage.revokeAgentRole(userId, clock.now());
    for (const conversationId of left) membership.forget(conversationId);
    io.in(userRoom(userId)).socketsLeave([agentsRoom, ...left.map(conversationRoom)]);
    for (const conversationId of unassigned) {
      const record = await storage.getCase(conversationId);
      if (record) await this.publish({ case: record, events: [], changed: true });
    }
  }

  async #leastBusyOnlineAgent(): Promise<string | null> {
    const { storage, presence } = this.#options;
    const online = [...(await presence.onlineAmong(await storage.listAgentIds()))];
    if (online.length === 0) return null;
    const [open, lastAssigned] = await Promise.all([storage.openCaseCounts(), storage.lastAssignedAt(online)]);
    // Fewest open cases; among equals, whoever waited longest since their last one.
    online.sort(
      (a, b) =>
        (open.get(a) ?? 0) - (open.get(b) ?? 0) ||
        (lastAssigned.get(a) ?? 0) - (lastAssigned.get(b) ?? 0) ||
        (a < b ? -1 : 1),
    );
    return online[0]!;
  }

  async #presenceChanged(userId: string): Promise<void> {
    try {
      if (!(await this.#options.storage.isAgent(userId))) return;
      // Told on every agent's coming and going: with several processes, the last news
      // customers heard may have come from another one.
      const availability = await this.availability();
      this.#options.io.to(customersRoom).emit('support:availability', availability);
    } catch (error) {
      this.#options.logger.error({ err: error, userId }, 'could not tell customers how support is available');
    }
  }

  #serially(conversationId: string, work: () => Promise<void>): void {
    const previous = this.#queues.get(conversationId) ?? Promise.resolve();
    const next = previous
      .then(work)
      .catch((error: unknown) =>
        this.#options.logger.error({ err: error, conversationId }, 'support routing failed'),
      );
    this.#queues.set(conversationId, next);
    void this.#options.background.run(next);
    void next.then(() => {
      if (this.#queues.get(conversationId) === next) this.#queues.delete(conversationId);
    });
  }
}
