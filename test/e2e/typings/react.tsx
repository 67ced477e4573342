// What React's typings refuse (type-checked, never run); the React example shows what they accept.
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
