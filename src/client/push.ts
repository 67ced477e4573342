import type { PushSubscribePayload } from '../protocol/index.js';
import type { Connection } from './connection.js';

/**
 * The server side of Web Push: its VAPID key, and this user's browser subscriptions.
 * Subscribing in the browser (service worker, `PushManager`) is the UI's part.
 */
export class PushActions {
  constructor(private readonly connection: Connection) {}

  /** The key to subscribe with (`applicationServerKey`); null if the server sends no pushes. */
  async publicKey(): Promise<string | null> {
    return (await this.connection.request('push:config', {})).publicKey;
  }

  /** Registers a browser subscription (`PushSubscription.toJSON()`) for this user. */
  async subscribe(subscription: PushSubscribePayload): Promise<void> {
    await this.connection.request('push:subscribe', subscription);
  }

  async unsubscribe(endpoint: string): Promise<void> {
    await this.connection.request('push:unsubscribe', { endpoint });
  }
}
