import type {
  PageInfo,
  SupportAgent,
  SupportConfig,
  SupportContext,
  SupportConversation,
  SupportConversationResult,
  SupportDetailsResult,
  SupportStartPayload,
} from '../protocol/index.js';
import type { ChatCache } from './cache/chat-cache.js';
import type { Connection } from './connection.js';
import type { VisitorCredentials } from './visitor-identity.js';

/**
 * Support mode: the customer's side (how the team answers, their conversation, the page
 * they are on) and the agents' (take, transfer, resolve, reopen, the case's details).
 * Results go into the cache; these need a connection and fail with `offline` otherwise.
 */
export class SupportActions {
  constructor(
    private readonly connection: Connection,
    private readonly cache: () => ChatCache,
    private readonly claimed: (visitorId: string) => void,
  ) {
    // Not signed in yet (no cache): the next sync brings the case.
    connection.on('support:changed', (change) => {
      void Promise.resolve()
        .then(() => this.cache().applySupportChange(change))
        .catch(() => {});
    });
  }

  /** The team's name and texts, its pre-chat form, and whether and when it answers. */
  config(): Promise<SupportConfig> {
    return this.connection.request('support:config', {});
  }

  /**
   * The customer's support conversation, started if they have none: `prechat` must hold
   * the fields the team requires then (`invalid_payload` names the missing ones).
   */
  async start(input: SupportStartPayload = {}): Promise<SupportConversation> {
    return (await this.#apply(await this.connection.request('support:start', input))).conversation;
  }

  /** Tells the agents which page the customer is on now, and what the host says of it. */
  async setContext(conversationId: string, page: PageInfo, context?: SupportContext | null): Promise<void> {
    await this.connection.request('support:context', {
      conversationId,
      page,
      ...(context !== undefined ? { context } : {}),
    });
  }

  /** A signed-in user takes over what they wrote as an anonymous visitor. */
  async claim(credentials: Pick<VisitorCredentials, 'visitorId' | 'secret'>): Promise<SupportConversation[]> {
    const { visitorId, secret } = credentials;
    const result = await this.connection.request('support:claim', { visitorId, secret });
    await this.cache().applyConversations(result.conversations, result.users, { reset: false });
    this.claimed(visitorId);
    return result.conversations;
  }

  /** Agents: the agent who answers from now on (oneself to take it). */
  async assign(conversationId: string, agentId: string): Promise<SupportConversation> {
    return (await this.#apply(await this.connection.request('support:assign', { conversationId, agentId }))).conversation;
  }

  async resolve(conversationId: string): Promise<SupportConversation> {
    return (await this.#apply(await this.connection.request('support:resolve', { conversationId }))).conversation;
  }

  async reopen(conversationId: string): Promise<SupportConversation> {
    return (await this.#apply(await this.connection.request('support:reopen', { conversationId }))).conversation;
  }

  /** Agents: the pages the customer was on and what happened to the case, newest first. */
  details(conversationId: string): Promise<SupportDetailsResult> {
    return this.connection.request('support:details', { conversationId });
  }

  /** Agents: the team, who is online and how many open cases each has. */
  async agents(): Promise<SupportAgent[]> {
    const { agents } = await this.connection.request('support:agents', {});
    await this.cache().putUsers(agents.map((agent) => agent.user));
    return agents;
  }

  async #apply(result: SupportConversationResult): Promise<SupportConversationResult> {
    await this.cache().applyConversations([result.conversation], result.users, { reset: false });
    return result;
  }
}
