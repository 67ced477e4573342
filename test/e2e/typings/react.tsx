// What React's typings refuse, and the DOM's event map (type-checked, never run); the React
// example shows what React's typings accept.
import type {} from 'im-chat/react';

export function Refused() {
  return (
    <section>
      {/* @ts-expect-error -- not a theme */}
      <im-chat theme="blue" />
      {/* @ts-expect-error -- the open attribute is no prop: its property is the open() method */}
      <im-chat open />
      {/* @ts-expect-error -- an event's detail has its own type */}
      <im-chat onim-unread-change={(event) => event.detail.count} />
      {/* @ts-expect-error -- tokenProvider is a function, not a string */}
      <im-chat tokenProvider="/token" />
    </section>
  );
}

/** The DOM's own maps know the element and its events, for code that listens without a framework. */
export function listen(onUnread: (unread: number) => void): void {
  const chat = document.querySelector('im-chat');
  chat?.addEventListener('im-unread-change', (event) => onUnread(event.detail.unread));
  chat?.addEventListener('im-open', () => chat.openConversation('c-1'));
  // @ts-expect-error -- im-close's detail is empty, not a count
  chat?.addEventListener('im-close', (event) => onUnread(event.detail));
}
