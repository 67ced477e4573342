import { createHash } from 'node:crypto';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { FastifyBaseLogger } from 'fastify';
import webpush from 'web-push';
import type { Message, PushNotification } from '../../protocol/index.js';
import type { Presence } from '../presence.js';
import { CommandError } from '../errors.js';
import type { EventSubscriber } from '../events/event-stream.js';
import type { CommittedEvent } from '../events/events.js';
import type { Storage } from '../storage/storage.js';
import {
  defaultPushServiceHosts,
  isTrustedHost,
  publicOnlyLookup,
  pushEndpointProblem,
  type PushEndpointPolicy,
} from './push-endpoint.js';
import { pushNotificationOf } from './push-payload.js';
import type { PushSubscriptionRecord, VapidKeys } from './subscriptions.js';

export interface PushOptions {
  /** VAPID subject: how push services reach the operator; `mailto:` or `https:`. */
  subject?: string;
  /** Push service hosts subscriptions may point at; default `defaultPushServiceHosts`. */
  serviceHosts?: readonly string[];
  /** `host[:port]` of push services on a private network, reached over http too; default none. */
  trustedHosts?: readonly string[];
}

export interface PushNotifierOptions extends PushOptions {
  storage: Pick<Storage, 'push'>;
  presence: Presence;
  logger: FastifyBaseLogger;
  /** False: no keys, no pushes; `push:config` says so. */
  enabled: boolean;
}

export const defaultPushSubject = 'mailto:admin@localhost';

/** An undelivered push is worth little after a day. */
const timeToLiveSeconds = 24 * 60 * 60;
const requestTimeoutMs = 10_000;
/** Requests to push services in flight at once, per message. */
const concurrency = 8;
const nothingToSend = Promise.resolve();

/**
 * Web Push for members who have no open connection: the browser shows the message
 * through the page's service worker. Requests are signed with the server's VAPID keys
 * (made on first use, kept in storage so every process signs alike) and encrypted for
 * each subscription (RFC 8291) by the web-push library; they are posted with fetch.
 */
export class PushNotifier implements EventSubscriber {
  readonly policy: PushEndpointPolicy;
  readonly #subject: string;
  #keys: Promise<VapidKeys> | null = null;

  constructor(private readonly options: PushNotifierOptions) {
    this.#subject = options.subject ?? defaultPushSubject;
    this.policy = {
      serviceHosts: options.serviceHosts ?? defaultPushServiceHosts,
      trustedHosts: (options.trustedHosts ?? []).map((host) => host.toLowerCase()),
    };
  }

  get enabled(): boolean {
    return this.options.enabled;
  }

  /** The VAPID public key browsers subscribe with; null when pushes are off. */
  async publicKey(): Promise<string | null> {
    return this.enabled ? (await this.#vapidKeys()).publicKey : null;
  }

  /**
   * Subscribes one of the user's browsers; `forbidden` when this server sends no pushes,
   * `invalid_payload` for an endpoint outside the policy (see push-endpoint.ts).
   */
  async subscribe(
    userId: string,
    { endpoint, keys }: { endpoint: string; keys: { p256dh: string; auth: string } },
    now: number,
  ): Promise<void> {
    if (!this.enabled) throw new CommandError('forbidden', 'this server sends no pushes');
    const problem = pushEndpointProblem(endpoint, this.policy);
    if (problem) {
      throw new CommandError('invalid_payload', `invalid payload: endpoint ${problem}`, {
        issues: [{ path: 'endpoint', message: problem }],
      });
    }
    await this.options.storage.push.write.subscribe({ endpoint, userId, p256dh: keys.p256dh, auth: keys.auth }, now);
  }

  /** Forgets one of the user's browsers (another user's endpoint is left alone). */
  unsubscribe(userId: string, endpoint: string): Promise<void> {
    return this.options.storage.push.write.unsubscribe(endpoint, userId);
  }

  /**
   * A new message, to its conversation's members who have no connection. Nothing to do
   * when pushes are off or for entries that notify nobody; a support conversation's
   * messages are the support desk's to push (it picks who answers).
   */
  follow(event: CommittedEvent): Promise<void> | undefined {
    if (!this.enabled || event.type !== 'entry.added' || !event.audience) return undefined;
    if (event.audience.conversationType === 'support') return undefined;
    return this.notifyMessage(event.entry, event.audience.memberIds);
  }

  /**
   * Pushes a new message to those of `recipientIds` with no connection, except its
   * sender and members who muted the conversation. Never rejects: failures are logged,
   * and the sender's ack never waits for this. It runs for every message: with pushes
   * off or nobody else to tell, it answers at once, without a promise of its own.
   */
  notifyMessage(message: Message, recipientIds: Iterable<string>): Promise<void> {
    if (!this.enabled) return nothingToSend;
    const others: string[] = [];
    for (const userId of recipientIds) if (userId !== message.senderId) others.push(userId);
    return others.length === 0 ? nothingToSend : this.#notifyOffline(message, others);
  }

  async #notifyOffline(message: Message, others: string[]): Promise<void> {
    try {
      const online = await this.options.presence.onlineAmong(others);
      const offline = others.filter((userId) => !online.has(userId));
      // The usual case in a live chat: everyone else has a connection.
      if (offline.length === 0) return;
      const targets = await this.options.storage.push.read.targets({
        conversationId: message.conversationId,
        senderId: message.senderId,
        userIds: offline,
      });
      if (targets.subscriptions.length === 0) return;
      const notification = pushNotificationOf(message, targets);
      if (!notification) return;
      await this.#sendAll(targets.subscriptions, notification);
    } catch (error) {
      this.options.logger.error(
        { err: error, conversationId: message.conversationId, seq: message.seq },
        'could not send pushes',
      );
    }
  }

  async #sendAll(subscriptions: PushSubscriptionRecord[], notification: PushNotification): Promise<void> {
    const keys = await this.#vapidKeys();
    const payload = JSON.stringify(notification);
    // Of pushes not yet delivered to an offline device, the service keeps only the newest
    // per conversation (the topic); the notification would replace the older ones anyway.
    const topic = createHash('sha256').update(notification.conversationId).digest('base64url').slice(0, 32);
    const queue = [...subscriptions];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        await this.#send(next, payload, keys, topic);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  }

  async #send(
    subscription: PushSubscriptionRecord,
    payload: string,
    keys: VapidKeys,
    topic: string,
  ): Promise<void> {
    const { endpoint, userId } = subscription;
    // Stored under an older, wider policy: not sent, not forgotten (the policy may widen again).
    const problem = pushEndpointProblem(endpoint, this.policy);
    if (problem) {
      this.options.logger.warn({ userId, problem }, 'a push endpoint is not allowed: skipped');
      return;
    }
    try {
      const request = webpush.generateRequestDetails(
        { endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
        payload,
        {
          vapidDetails: { subject: this.#subject, ...keys },
          TTL: timeToLiveSeconds,
          urgency: 'high',
          topic,
          contentEncoding: 'aes128gcm',
        },
      );
      const status = await this.#post(new URL(endpoint), request.headers, request.body);
      if (status === 404 || status === 410) {
        // The browser dropped the subscription (unsubscribed, site data cleared).
        await this.options.storage.push.write.unsubscribe(endpoint, null);
      } else if (status < 200 || status > 299) {
        this.options.logger.warn({ status, userId }, 'the push service refused a push');
      }
    } catch (error) {
      this.options.logger.warn({ err: error, userId }, 'could not reach a push service');
    }
  }

  /**
   * Posts one push and answers its status. Redirects are not followed, and unless the
   * host is trusted the connection goes only to public addresses (see publicOnlyLookup).
   */
  #post(url: URL, headers: OutgoingHttpHeaders, body: Buffer | null): Promise<number> {
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const lookup = isTrustedHost(url, this.policy) ? undefined : publicOnlyLookup;
    return new Promise((resolve, reject) => {
      const outgoing = send(url, { method: 'POST', headers, lookup, timeout: requestTimeoutMs }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error('the push service did not answer in time')));
      outgoing.on('error', reject);
      outgoing.end(body ?? undefined);
    });
  }

  #vapidKeys(): Promise<VapidKeys> {
    if (!this.#keys) {
      const keys = this.options.storage.push.write.vapidKeys(webpush.generateVAPIDKeys());
      this.#keys = keys;
      // A storage failure must not stick: the next call tries again.
      keys.catch(() => {
        if (this.#keys === keys) this.#keys = null;
      });
    }
    return this.#keys;
  }
}
