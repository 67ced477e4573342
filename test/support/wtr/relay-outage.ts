/**
 * For browser tests of catching up after a lost relay: two real server processes on
 * PostgreSQL + Redis, the first reaching Redis through a relay that can be cut. While it
 * is cut, a sender on the second process gets its messages acked (its own link is whole),
 * and their relay to a browser connected to the first process is lost: the first process
 * is not subscribed, and Redis keeps nothing for it.
 */
import type { TestClient } from '../node/client.js';
import { Cluster } from '../node/cluster.js';
import { probeServices, redisUrl } from '../node/services.js';
import { TcpProxy } from '../node/tcp-proxy.js';

export type RelayClusterStart = { available: false } | { available: true; url: string; token: string };

export interface RelayChat {
  conversationId: string;
  /** Texts of the messages acked to the sender, in order. */
  sent: string[];
}

const messagesBefore = 5;
const messagesDuring = 20;

export class RelayOutage {
  #sender: TestClient | null = null;
  #conversationId = '';

  private constructor(
    private readonly cluster: Cluster,
    private readonly redis: TcpProxy,
  ) {}

  /** `null` when PostgreSQL or Redis cannot be reached (an error instead under CI). */
  static async start(origin: string): Promise<RelayOutage | null> {
    if (!(await probeServices(['postgres', 'redis'])).available) return null;
    const target = new URL(redisUrl);
    const redis = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 6379) });
    const through = new URL(redisUrl);
    through.hostname = '127.0.0.1';
    through.port = String(redis.port);
    try {
      const cutOff: Record<string, string> = { IM_REDIS_URL: through.toString() };
      const cluster = await Cluster.start(2, { IM_CORS_ORIGINS: origin }, (index) => (index === 0 ? cutOff : {}));
      return new RelayOutage(cluster, redis);
    } catch (error) {
      await redis.close();
      throw error;
    }
  }

  /** Where a browser connects (the first process), and a token for `sub` there. */
  async entry(sub: string): Promise<{ url: string; token: string }> {
    return { url: this.cluster.processes[0]!.url, token: await this.cluster.token(sub) };
  }

  /** `from`, connected to the second process, starts a chat with `to` and sends a few messages. */
  async chat(from: string, to: string): Promise<RelayChat> {
    this.#sender = await this.cluster.connect(1, from);
    const started = await this.#sender.command('conversation:start', { userId: to });
    if (!started.ok) throw new Error(`conversation:start failed: ${JSON.stringify(started.error)}`);
    this.#conversationId = started.data.conversation.id;
    return { conversationId: this.#conversationId, sent: await this.#send('before', messagesBefore) };
  }

  /**
   * Cuts the first process off from Redis (until `restore`) and sends more, one message
   * after the other; returns the texts acked.
   */
  async loseRelay(): Promise<string[]> {
    this.redis.cut();
    return this.#send('during', messagesDuring);
  }

  async #send(prefix: string, count: number): Promise<string[]> {
    if (!this.#sender) throw new Error('start a chat first');
    const acked: string[] = [];
    for (let n = 0; n < count; n++) {
      const text = `${prefix}-${String(n).padStart(2, '0')}`;
      const answer = await this.#sender.command('message:send', {
        conversationId: this.#conversationId,
        clientId: text,
        body: { type: 'text', text },
      });
      if (!answer.ok) throw new Error(`message:send failed: ${JSON.stringify(answer.error)}`);
      acked.push(text);
    }
    return acked;
  }

  restore(): void {
    this.redis.restore();
  }

  async close(): Promise<void> {
    await this.cluster.close();
    await this.redis.close();
  }
}
