import type {
  SupportContextPayload,
  SupportConversation,
  SupportConversationResult,
  SupportStartPayload,
  User,
} from '../../protocol/index.js';
import { CommandError } from '../errors.js';
import { newSupportConversationId } from '../groups/ids.js';
import { prechatRefusal } from './case-decisions.js';
import type { SupportDesk, SupportDeskOptions } from './support-desk.js';

/**
 * The command API of customers: start (or return to) their support conversation, say
 * where they are, and take over what they wrote as an anonymous visitor once signed in.
 */
export class CustomerDesk {
  constructor(
    private readonly desk: SupportDesk,
    private readonly options: SupportDeskOptions,
  ) {}

  /**
   * The customer's support conversation, opened on their first question (with the
   * pre-chat form's fields the team requires). A visitor is who they say they are in the
   * form; a signed-in user is who the host says.
   */
  async start(user: User, { page, context, prechat }: SupportStartPayload, visitor: boolean): Promise<SupportConversationResult> {
    const { storage, membership, clock, events } = this.options;
    const { support } = storage;
    if (await support.read.isAgent(user.id)) {
      throw new CommandError('forbidden', 'agents answer support conversations; they do not open them');
    }
    const existing = await support.read.latestCaseOf(user.id);
    const missing = existing ? null : prechatRefusal(this.desk.settings.prechat, prechat);
    if (missing) throw missing;
    const renamed = visitor && !!prechat?.name && prechat.name !== user.name;
    const customer = renamed ? { ...user, name: prechat!.name! } : user;
    if (renamed) await storage.accounts.write.upsertUser(customer, clock.now());
    const now = clock.now();
    // Only a new customer needs the write (which makes one conversation even when racing).
    const { record, created } = existing
      ? { record: existing, created: false }
      : await support.write.ensureSupportConversation({
          conversationId: newSupportConversationId(),
          customerId: user.id,
          name: this.desk.settings.name,
          page: page ?? null,
          context: context ?? null,
          email: prechat?.email ?? null,
          now,
        });
    const { conversationId } = record;
    if (created) {
      membership.forget(conversationId);
      await events.publish({ type: 'support.case-opened', conversationId, record, by: user.id });
    } else {
      const change = await support.write.updateCaseDetails(conversationId, { page, context, email: prechat?.email }, now);
      // A new name is news to the agents even when the case itself did not change.
      await this.desk.publish(renamed ? { ...change, changed: true } : change);
    }
    return this.desk.result(conversationId, customer);
  }

  /** The page the customer is on now, and what the host says of it; only the customer's own case. */
  async updateContext(
    user: User,
    { conversationId, page, context }: SupportContextPayload,
  ): Promise<void> {
    const { support } = this.options.storage;
    const record = await support.read.getCase(conversationId);
    if (!record || record.customerId !== user.id) throw new CommandError('not_found', 'no such support conversation');
    const details = { page, ...(context !== undefined ? { context } : {}) };
    await this.desk.publish(await support.write.updateCaseDetails(conversationId, details, this.options.clock.now()));
  }

  /**
   * Moves what the visitor wrote to the signed-in user (the caller has checked the
   * visitor's secret); the visitor's tabs are done.
   */
  async claim(user: User, visitorId: string): Promise<{ conversations: SupportConversation[]; users: User[] }> {
    const { storage, membership, clock, fanOut } = this.options;
    const { conversationIds, events } = await storage.support.write.claimVisitor({ visitorId, user, now: clock.now() });
    const conversations: SupportConversation[] = [];
    for (const [index, conversationId] of conversationIds.entries()) {
      membership.forget(conversationId);
      // In the room before the event, so that every tab of the user hears it.
      fanOut.supportCaseHandedOver(conversationId, visitorId, user.id);
      const record = await storage.support.read.getCase(conversationId);
      if (record) await this.desk.publish({ case: record, events: [events[index]!], changed: true });
      conversations.push(await this.desk.view(conversationId, user.id));
    }
    // The visitor's tabs are done: their identity gives no more tokens.
    fanOut.endSessions(visitorId);
    const assignees = conversations.map((conversation) => conversation.assigneeId).filter((id) => id !== null);
    return { conversations, users: [user, ...(await storage.accounts.read.users(assignees))] };
  }
}
