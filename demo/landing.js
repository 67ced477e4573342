// Lists the server's demo users with a link that opens the messenger as each of them,
// and the demo group's share link for those who are not in it yet.
const list = document.getElementById('users');

function messengerLink(user, label, params = {}, page = '/demo/messenger.html') {
  const url = new URL(page, location.href);
  url.searchParams.set('user', user.id);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const item = document.createElement('li');
  const link = document.createElement('a');
  link.href = url.pathname + url.search;
  link.target = '_blank';
  link.rel = 'noopener';
  link.textContent = label;
  link.dataset.userId = user.id;
  item.append(link);
  return item;
}

async function getJson(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`The server answered ${response.status} for ${path}.`);
  return response.json();
}

async function showUsers() {
  const { users, agents } = await getJson('/api/demo/users');
  list.replaceChildren(...users.map((user) => messengerLink(user, user.name)));
  document
    .getElementById('agents')
    .replaceChildren(...agents.map((agent) => messengerLink(agent, `Answer as ${agent.name}`, {}, '/demo/agent.html')));
  document.getElementById('support').hidden = false;
  const invite = await getJson('/api/demo/group-invite');
  // The demo group starts with the first two demo users (its owner and a member).
  const outsiders = users.slice(2);
  document.getElementById('group-name').textContent = invite.name;
  document
    .getElementById('group-links')
    .replaceChildren(
      ...outsiders.map((user) => messengerLink(user, `Join as ${user.name}`, { 'im-join': invite.code })),
    );
  document.getElementById('group').hidden = false;
}

showUsers().catch((error) => {
  const item = document.createElement('li');
  item.className = 'error';
  item.textContent = `Could not load the demo users: ${error.message}`;
  list.replaceChildren(item);
});
