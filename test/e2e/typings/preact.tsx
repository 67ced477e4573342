// <im-chat> in a Preact app, as the generated typings describe it (type-checked, never run).
import type { ImChat } from 'im-chat';
import type {} from 'im-chat/preact';
import { useRef, useState } from 'preact/hooks';

export function Chat({ tokenProvider }: { tokenProvider: () => Promise<string> }) {
  const [unread, setUnread] = useState(0);
  const element = useRef<ImChat>(null);
  return (
    <section>
      <p>{unread} unread</p>
      <im-chat
        ref={element}
        server="https://chat.example.com"
        tokenProvider={tokenProvider}
        media-cache-mb={20}
        onim-unread-change={(event) => setUnread(event.detail.unread)}
        onim-error={(event) => console.warn(event.detail.code, event.detail.message)}
      />
      {/* @ts-expect-error -- not a theme */}
      <im-chat theme="blue" />
      {/* @ts-expect-error -- the open attribute is no prop: its property is the open() method */}
      <im-chat open />
      {/* @ts-expect-error -- chatClient is read-only */}
      <im-chat chatClient={undefined} />
      {/* @ts-expect-error -- an attribute's value has the property's type */}
      <im-chat media-cache-mb="lots" />
    </section>
  );
}
