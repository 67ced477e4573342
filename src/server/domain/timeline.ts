import type { BackgroundWork } from '../background.js';
import type { ConversationType, Message } from '../../protocol/index.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { MembershipCache } from '../membership.js';
import type { PushNotifier } from '../push/push-notifier.js';
import type { GroupChange } from '../groups/model.js';
import type { SupportDesk } from '../support/support-desk.js';
import type { ImSocket } from '../types.js';
import type { Webhooks } from '../webhooks/webhooks.js';

export interface TimelineDeps {
  fanOut: FanOut;
  membership: MembershipCache;
  push: PushNotifier;
  /** Routes support conversations' messages (and pushes them to whoever answers). */
  support: SupportDesk;
  webhooks: Webhooks;
  /** Where pushes run, so that a shutdown waits for them. */
  background: BackgroundWork;
}

/**
 * What happens once a timeline entry has committed, whoever made it (a socket command or
 * the admin API): the conversation's room gets it live, offline members a push (for
 * messages), and the webhooks their events, queued before the caller answers.
 */
export class Timeline {
  constructor(private readonly deps: TimelineDeps) {}

  /**
   * A new message or message event. `origin` is the socket that made it: it gets the
   * ack (`acknowledge`) instead. `recipients`: the members a new message is pushed to when
   * offline (in a support conversation, the support desk decides who, and routes the case).
   */
  async announce(
    message: Message,
    options: {
      origin?: ImSocket;
      acknowledge?: () => void;
      recipients?: Iterable<string>;
      conversationType?: ConversationType;
    } = {},
  ): Promise<void> {
    // Webhook events are queued before anyone hears of the entry; if that fails, the
    // command fails and its retry queues them (announceAgain), so nobody is acked early.
    const failure = await this.deps.webhooks.emitMessage(message).then(
      () => null,
      (error: unknown) => ({ error }),
    );
    // The ack and the broadcast leave in one tick, the ack first, and entries reach this
    // point in seq order: the sender learns its seq before any later entry of the
    // conversation reaches its connection, so it never mistakes its own send for a gap.
    if (!failure) options.acknowledge?.();
    this.deps.fanOut.newEntry(message, options.origin);
    // Neither delays the answer.
    if (options.recipients && options.conversationType === 'support') {
      this.deps.support.messageSent(message, options.recipients);
    } else if (options.recipients) {
      void this.deps.background.run(this.deps.push.notifyMessage(message, options.recipients));
    }
    if (failure) throw failure.error;
  }

  /**
   * A retried command whose entry was stored before: nothing goes out live again (it
   * did the first time), but its webhook events are queued if the first attempt failed to.
   */
  async announceAgain(message: Message): Promise<void> {
    await this.deps.webhooks.emitMessage(message);
  }

  /**
   * After a group change has committed: the cache learns it, then the members who are in
   * and those who are out hear it (see FanOut.timelineChanged), the actor too: a command's
   * ack carries the conversation, not the event.
   */
  async groupChanged(change: GroupChange): Promise<void> {
    const { fanOut, membership } = this.deps;
    membership.apply(change);
    fanOut.timelineChanged({
      conversationId: change.conversationId,
      events: change.events,
      joined: change.members.filter((member) => member.state === 'active').map((member) => member.userId),
      left: change.members.filter((member) => member.state !== 'active').map((member) => member.userId),
    });
    for (const event of change.events) await this.deps.webhooks.emitMessage(event);
  }
}
