// Signs the chosen demo user in: the demo server mints their tokens. A real site's own
// backend signs the token instead (see docs/backend-integration.md).
const params = new URLSearchParams(location.search);
// The installed app starts at the bare page: it opens as the user who last signed in here.
const rememberedUser = 'im-chat-demo-user';
const userId = params.get('user') ?? remembered(() => localStorage.getItem(rememberedUser));
const chat = document.getElementById('chat');
const signedIn = document.getElementById('signed-in');

/** What the page's storage gives, or null where the browser refuses it (privacy modes, sandboxes). */
function remembered(use) {
  try {
    return use() ?? null;
  } catch {
    return null;
  }
}

/** Offers the demo users, each a link to this very page (invitation included) as that user. */
async function askWhoYouAre() {
  // Not signed in, the widget has nothing to show (not even the invitation's card).
  chat.remove();
  signedIn.textContent = 'Not signed in';
  document.getElementById('who').hidden = false;
  const list = document.getElementById('who-users');
  const response = await fetch('/api/demo/users');
  if (!response.ok) throw new Error(`The server answered ${response.status}.`);
  const { users } = await response.json();
  list.replaceChildren(
    ...users.map((user) => {
      const url = new URL(location.href);
      url.searchParams.set('user', user.id);
      const link = document.createElement('a');
      link.href = url.pathname + url.search;
      link.textContent = user.name;
      const item = document.createElement('li');
      item.append(link);
      return item;
    }),
  );
}

if (!userId && params.has('im-join')) {
  askWhoYouAre().catch((error) => {
    const item = document.createElement('li');
    item.className = 'error';
    item.textContent = `Could not load the demo users: ${error.message}`;
    document.getElementById('who-users').replaceChildren(item);
  });
} else if (!userId) {
  location.replace('/');
} else {
  remembered(() => localStorage.setItem(rememberedUser, userId));
  signedIn.textContent = `Signed in as ${userId}`;
  // The app shell and push worker; with it the messenger opens offline and is installable.
  navigator.serviceWorker?.register('/demo/messenger-sw.js').catch((error) => console.warn('No offline app:', error));
  // The unread count on the app icon, where the Badging API exists (installed apps).
  chat.addEventListener('im-unread-change', (event) => {
    if (!('setAppBadge' in navigator)) return;
    const { unread } = event.detail;
    (unread > 0 ? navigator.setAppBadge(unread) : navigator.clearAppBadge()).catch(() => {});
  });
  chat.addEventListener('im-ready', (event) => {
    signedIn.textContent = `Signed in as ${event.detail.user.name}`;
  });
  chat.tokenProvider = async () => {
    const response = await fetch('/api/demo/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    if (!response.ok) throw new Error(`The demo token request failed (${response.status}).`);
    return (await response.json()).token;
  };
  if (params.get('conversation')) chat.setAttribute('conversation', params.get('conversation'));
  if (params.get('lang')) chat.setAttribute('lang', params.get('lang'));
  chat.setAttribute('server', location.origin);
}
