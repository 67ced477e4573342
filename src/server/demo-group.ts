import type { FastifyBaseLogger } from 'fastify';
import type { User } from '../protocol/index.js';
import type { Clock } from './clock.js';
import { CommandError } from './errors.js';
import { newInviteCode } from './groups/ids.js';
import type { Storage } from './storage/storage.js';

export const demoGroup = {
  id: 'g_im-chat-community',
  name: 'im-chat community',
  description: 'Everyone trying the im-chat demo. Say hello!',
  announcement: 'Welcome! This is a demo server: anyone can sign in as any demo user.',
} as const;

/** What the demo landing page links to: `?im-join=<code>`. */
export interface DemoGroupInvite {
  code: string;
  conversationId: string;
  name: string;
}

/**
 * The demo's group: owned by the first demo user, with the second as a member, open to
 * anyone with its permanent invite link. Seeded once; later starts find it again.
 */
export class DemoGroup {
  #code: string | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly users: readonly User[],
    private readonly clock: Clock,
    private readonly logger: FastifyBaseLogger,
  ) {}

  async seed(): Promise<void> {
    const [owner, ...others] = this.users;
    if (!owner) return;
    const now = this.clock.now();
    if (!(await this.storage.conversations.read.get(demoGroup.id))) {
      await this.#create(owner, others, now);
    }
    const permanent = (await this.storage.groups.read.listInvites(demoGroup.id, now)).find(
      (invite) => invite.expiresAt === null && invite.maxUses === null,
    );
    try {
      this.#code =
        permanent?.code ??
        (
          await this.storage.groups.write.createInvite({
            conversationId: demoGroup.id,
            actorId: owner.id,
            now,
            code: newInviteCode(),
            expiresAt: null,
            maxUses: null,
          })
        ).code;
    } catch (error) {
      // Someone dismissed the demo group or took it from its owner: the demo runs without it.
      if (!(error instanceof CommandError)) throw error;
      this.logger.warn({ code: error.code }, 'the demo group has no invite link');
    }
  }

  /** Another process starting at the same time may have made it first: that one stands. */
  async #create(owner: User, others: readonly User[], now: number): Promise<void> {
    try {
      await this.storage.groups.write.createGroup({
        id: demoGroup.id,
        ownerId: owner.id,
        name: demoGroup.name,
        avatar: null,
        description: demoGroup.description,
        announcement: demoGroup.announcement,
        joinPolicy: 'open',
        memberIds: others.slice(0, 1).map((user) => user.id),
        now,
      });
    } catch (error) {
      if (!(await this.storage.conversations.read.get(demoGroup.id))) throw error;
    }
  }

  /** The link as it stands now; `not_found` (or the link's own error) when it does not work. */
  async invite(): Promise<DemoGroupInvite> {
    const [owner] = this.users;
    if (!this.#code || !owner) {
      throw new CommandError('not_found', 'the demo group has no invite link');
    }
    const { group } = await this.storage.groups.read.previewInvite(this.#code, owner.id, this.clock.now());
    return { code: this.#code, conversationId: group.id, name: group.name };
  }
}
