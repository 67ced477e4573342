// Signs the chosen demo user in: the demo server mints their tokens. A real site's own
// backend signs the token instead (see README).
const params = new URLSearchParams(location.search);
const userId = params.get('user');
const chat = document.getElementById('chat');
const signedIn = document.getElementById('signed-in');

if (!userId) {
  location.replace('/');
} else {
  signedIn.textContent = `Signed in as ${userId}`;
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
