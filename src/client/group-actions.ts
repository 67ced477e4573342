import type {
  AnnouncementConfirmationsResult,
  CommandName,
  CommandPayload,
  CreateGroupPayload,
  GroupResult,
  Invite,
  InvitePreviewResult,
  JoinPolicy,
  JoinRequestsResult,
  JoinResult,
  UpdateGroupPayload,
} from '../protocol/index.js';
import type { ChatCache } from './cache/chat-cache.js';
import type { Connection } from './connection.js';

/**
 * Groups and invite links. Every change is applied to the cache from the server's answer
 * (the group as the caller now sees it); its system event arrives in the timeline too.
 * These need a connection: they fail with `offline` rather than wait.
 */
export class GroupActions {
  constructor(
    private readonly connection: Connection,
    private readonly cache: () => ChatCache,
  ) {}

  /** Creates a group owned by the caller; resolves with its conversation id. */
  async create(group: CreateGroupPayload): Promise<string> {
    return (await this.#change('group:create', group)).conversation.id;
  }

  update(changes: UpdateGroupPayload): Promise<GroupResult> {
    return this.#change('group:update', changes);
  }

  addMembers(conversationId: string, userIds: string[]): Promise<GroupResult> {
    return this.#changeMembers('group:add-members', { conversationId, userIds });
  }

  removeMember(conversationId: string, userId: string): Promise<GroupResult> {
    return this.#changeMembers('group:remove-member', { conversationId, userId });
  }

  setRole(conversationId: string, userId: string, role: 'admin' | 'member'): Promise<GroupResult> {
    return this.#changeMembers('group:set-role', { conversationId, userId, role });
  }

  transferOwnership(conversationId: string, userId: string): Promise<GroupResult> {
    return this.#changeMembers('group:transfer-ownership', { conversationId, userId });
  }

  muteMember(conversationId: string, userId: string, muted: boolean): Promise<GroupResult> {
    return this.#changeMembers('group:mute-member', { conversationId, userId, muted });
  }

  muteAll(conversationId: string, muted: boolean): Promise<GroupResult> {
    return this.#change('group:mute-all', { conversationId, muted });
  }

  setJoinPolicy(conversationId: string, joinPolicy: JoinPolicy): Promise<GroupResult> {
    return this.#change('group:set-join-policy', { conversationId, joinPolicy });
  }

  leave(conversationId: string): Promise<GroupResult> {
    return this.#changeMembers('group:leave', { conversationId });
  }

  dismiss(conversationId: string): Promise<GroupResult> {
    return this.#change('group:dismiss', { conversationId });
  }

  decideJoinRequest(conversationId: string, userId: string, approve: boolean): Promise<GroupResult> {
    return this.#changeMembers('group:decide-request', { conversationId, userId, approve });
  }

  /**
   * Fetches one page of members into the cache (read them with `cache.membersOf`): the
   * first page without a cursor (it replaces what was cached), then the one after the
   * given cursor. Resolves with the cursor of the next page, or null after the last.
   */
  async loadMembers(conversationId: string, cursor?: string): Promise<string | null> {
    const cache = this.cache();
    const page = await this.connection.request('group:members', {
      conversationId,
      ...(cursor ? { cursor } : {}),
    });
    const offset = cursor ? (await cache.membersOf(conversationId)).length : 0;
    await cache.putMembers(conversationId, { members: page.members, users: page.users, offset });
    return page.cursor;
  }

  /**
   * "Got it": confirms the group's announcement, the one set at `announcementSeq` (the
   * group's `announcementSeq` when it was shown). Fails with `announcement_changed` if a
   * newer one came meanwhile; the user's other devices learn of it from the server.
   */
  async confirmAnnouncement(conversationId: string, announcementSeq: number): Promise<void> {
    const { conversation } = await this.connection.request('group:confirm-announcement', { conversationId, announcementSeq });
    await this.cache().applyConversations([conversation], [], { reset: false });
  }

  /** Who has confirmed the current announcement and who has not (owner and admins). */
  async announcementConfirmations(conversationId: string): Promise<AnnouncementConfirmationsResult> {
    const result = await this.connection.request('group:announcement-confirmations', { conversationId });
    await this.cache().putUsers(result.users);
    return result;
  }

  async joinRequests(conversationId: string): Promise<JoinRequestsResult> {
    const result = await this.connection.request('group:join-requests', { conversationId });
    await this.cache().putUsers(result.users);
    return result;
  }

  async createInvite(
    conversationId: string,
    limits: { expiresAt?: number | null; maxUses?: number | null } = {},
  ): Promise<Invite> {
    return (await this.connection.request('invite:create', { conversationId, ...limits })).invite;
  }

  async listInvites(conversationId: string): Promise<Invite[]> {
    return (await this.connection.request('invite:list', { conversationId })).invites;
  }

  async revokeInvite(conversationId: string, code: string): Promise<Invite> {
    return (await this.connection.request('invite:revoke', { conversationId, code })).invite;
  }

  /** What an invite link leads to, without joining. */
  previewInvite(code: string): Promise<InvitePreviewResult> {
    return this.connection.request('invite:preview', { code });
  }

  /** Joins with an invite link (or files a request, if the group needs approval). */
  async joinByInvite(code: string): Promise<JoinResult> {
    const result = await this.connection.request('invite:join', { code });
    if (result.status === 'joined') {
      await this.#apply(result);
      await this.cache().dropMembers(result.conversation.id);
    }
    return result;
  }

  /** For the commands whose result is a GroupResult. */
  async #change<E extends CommandName>(event: E, payload: CommandPayload<E>): Promise<GroupResult> {
    const result = (await this.connection.request(event, payload)) as GroupResult;
    await this.#apply(result);
    return result;
  }

  /**
   * A change of members: the cached list is stale now, whether the timeline event came
   * before this answer or comes after it.
   */
  async #changeMembers<E extends CommandName>(event: E, payload: CommandPayload<E>): Promise<GroupResult> {
    const result = await this.#change(event, payload);
    await this.cache().dropMembers(result.conversation.id);
    return result;
  }

  async #apply({ conversation, users }: GroupResult): Promise<void> {
    await this.cache().applyConversations([conversation], users, { reset: false });
  }
}
