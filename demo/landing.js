// Lists the server's demo users with a link that opens the messenger as each of them.
const list = document.getElementById('users');

async function showUsers() {
  const response = await fetch('/api/demo/users');
  if (!response.ok) throw new Error(`The server answered ${response.status}.`);
  const { users } = await response.json();
  list.replaceChildren(
    ...users.map((user) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `/demo/messenger.html?user=${encodeURIComponent(user.id)}`;
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = user.name;
      link.dataset.userId = user.id;
      item.append(link);
      return item;
    }),
  );
}

showUsers().catch((error) => {
  const item = document.createElement('li');
  item.className = 'error';
  item.textContent = `Could not load the demo users: ${error.message}`;
  list.replaceChildren(item);
});
