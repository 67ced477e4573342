import type { ChatClient } from '../../client/index.js';
import type { PushSubscribePayload } from '../../protocol/index.js';
import { pageParam } from '../../sw/contract.js';

/**
 * Registers the host's service worker (its path, e.g. `/im-chat-sw.js`) and subscribes
 * this browser to the server's pushes for the signed-in user. The worker learns which
 * page to open on a click from its URL.
 */
export async function subscribeToPush(client: ChatClient, workerPath: string): Promise<void> {
  const publicKey = await client.push.publicKey();
  if (!publicKey) return; // the server sends no pushes
  const url = new URL(workerPath, location.href);
  url.searchParams.set(pageParam, location.pathname + location.search);
  const registration = await navigator.serviceWorker.register(url.href);
  await activated(registration);
  const key = fromBase64Url(publicKey);
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription.options.applicationServerKey, key)) {
    await subscription.unsubscribe(); // made for another server key
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: key,
  });
  await client.push.subscribe(subscription.toJSON() as PushSubscribePayload);
}

/** Ends this browser's subscription, here and on the server. */
export async function unsubscribeFromPush(client: ChatClient, workerPath: string): Promise<void> {
  const registration = await navigator.serviceWorker.getRegistration(new URL(workerPath, location.href).href);
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await client.push.unsubscribe(subscription.endpoint).catch(() => undefined);
  await subscription.unsubscribe();
}

function activated(registration: ServiceWorkerRegistration): Promise<void> {
  const worker = registration.installing ?? registration.waiting;
  if (registration.active || !worker) return Promise.resolve();
  return new Promise((resolve, reject) => {
    worker.addEventListener('statechange', () => {
      if (worker.state === 'activated') resolve();
      if (worker.state === 'redundant') reject(new Error('the service worker did not install'));
    });
  });
}

function fromBase64Url(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function sameKey(current: ArrayBuffer | null, key: Uint8Array): boolean {
  if (!current || current.byteLength !== key.length) return false;
  const bytes = new Uint8Array(current);
  return bytes.every((byte, i) => byte === key[i]);
}
