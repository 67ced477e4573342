/**
 * The im-chat push service worker. The host serves this file from its own origin (the
 * widget's `push-sw` attribute gives its path); it shows a notification for each push
 * the im-chat server sends, and a click opens the conversation: in a window of the
 * page that is open already, else in a new one (`?im-open=<conversationId>`).
 */
import type { PushNotification } from '../protocol/index.js';
import { openParam, pageParam, type OpenConversationMessage } from './contract.js';

declare const self: ServiceWorkerGlobalScope;

self.addEventListener('install', () => void self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  const push = readPush(event.data);
  if (!push) return;
  event.waitUntil(
    self.registration.showNotification(push.title, {
      body: push.body,
      tag: push.tag,
      data: { conversationId: push.conversationId },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const conversationId = (event.notification.data as { conversationId?: unknown } | null)?.conversationId;
  if (typeof conversationId !== 'string') return;
  event.waitUntil(openConversation(conversationId));
});

async function openConversation(conversationId: string): Promise<void> {
  const page = pageUrl();
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).pathname === page.pathname) ?? windows[0];
  if (open) {
    const focused = await open.focus();
    const message: OpenConversationMessage = { type: 'im-chat:open', conversationId };
    focused.postMessage(message);
    return;
  }
  page.searchParams.set(openParam, conversationId);
  await self.clients.openWindow(page.href);
}

/** The page that turned pushes on (a path on this origin), else the worker's scope. */
function pageUrl(): URL {
  const page = new URL(self.location.href).searchParams.get(pageParam);
  const path = page?.startsWith('/') && !page.startsWith('//') ? page : self.registration.scope;
  const url = new URL(path, self.location.origin);
  return url.origin === self.location.origin ? url : new URL(self.registration.scope);
}

function readPush(data: PushMessageData | null): PushNotification | null {
  try {
    const push = data?.json() as Partial<PushNotification> | undefined;
    if (typeof push?.title !== 'string' || typeof push.conversationId !== 'string') return null;
    return {
      conversationId: push.conversationId,
      seq: Number(push.seq) || 0,
      title: push.title,
      body: typeof push.body === 'string' ? push.body : '',
      tag: typeof push.tag === 'string' ? push.tag : push.conversationId,
    };
  } catch {
    return null; // not ours, or not JSON
  }
}
