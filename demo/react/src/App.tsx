// Registers <im-chat>; the type-only import puts it into React's JSX with its props and events.
import 'im-chat';
import type { ImChat, ImReadyDetail } from 'im-chat';
import type {} from 'im-chat/react';
import { useRef, useState } from 'react';

const server = import.meta.env.VITE_IM_SERVER ?? 'http://127.0.0.1:3000';

/** Asks the site's own backend for the signed-in user's token (and again before it expires). */
async function tokenProvider(): Promise<string> {
  const response = await fetch('/my-backend/im-token');
  if (!response.ok) throw new Error(`The token request failed (${response.status}).`);
  return ((await response.json()) as { token: string }).token;
}

export function App() {
  const [user, setUser] = useState<ImReadyDetail['user'] | null>(null);
  const [unread, setUnread] = useState(0);
  const [supportOpen, setSupportOpen] = useState(false);
  const support = useRef<ImChat>(null);

  return (
    <main>
      <header>
        <h1>My React app</h1>
        <p role="status">{user ? `Signed in as ${user.name}, ${unread} unread` : 'Connecting…'}</p>
        <button type="button" onClick={() => support.current?.toggle()}>
          {supportOpen ? 'Close help' : 'Help'}
        </button>
      </header>
      {/* React 19 sets tokenProvider as a property and listens to `onim-…` as the element's events. */}
      <im-chat
        server={server}
        tokenProvider={tokenProvider}
        theme="light"
        no-title-count
        style={{ '--im-height': '70vh', '--im-color-accent': '#7c3aed' }}
        onim-ready={(event) => setUser(event.detail.user)}
        onim-unread-change={(event) => setUnread(event.detail.unread)}
        onim-error={(event) => console.warn(`im-chat: ${event.detail.code}`)}
      />
      <im-chat
        ref={support}
        mode="support"
        server={server}
        no-launcher
        onim-open={() => setSupportOpen(true)}
        onim-close={() => setSupportOpen(false)}
      />
    </main>
  );
}
