// The installed messenger's service worker: the widget's push worker (notifications when
// the app is closed, and clicks that open the conversation) plus the app shell, so that
// the app opens with no network and shows the conversations from the widget's cache.
importScripts('/im-chat-sw.js');

const shellCache = 'im-chat-messenger-shell-v1';
const shell = [
  '/demo/messenger.html',
  '/demo/messenger.js',
  '/demo/demo.css',
  '/demo/messenger.webmanifest',
  '/demo/icons/icon-192.png',
  '/demo/icons/icon-512.png',
  '/dist/im-chat.iife.js',
];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(shellCache).then((cache) => cache.addAll(shell)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys().then((names) =>
      Promise.all(names.filter((name) => name.startsWith('im-chat-messenger-shell-') && name !== shellCache).map((name) => caches.delete(name))),
    ),
  );
});

// Network first, so an online app always runs the newest widget; the cached shell when
// the network (or the server) is away. The page's query (?user=) does not change the shell.
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin || !shell.includes(url.pathname)) return;
  event.respondWith(
    fetch(event.request)
      .then(async (response) => {
        if (response.ok) await (await caches.open(shellCache)).put(url.pathname, response.clone());
        return response;
      })
      .catch(async () => (await caches.match(url.pathname)) ?? Response.error()),
  );
});
