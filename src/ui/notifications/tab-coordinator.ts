/** Where a tab's user is looking: at a conversation, or not at this tab at all. */
export interface TabView {
  visible: boolean;
  conversationId: string | null;
}

type TabMessage =
  | { type: 'view'; tab: string; view: TabView }
  | { type: 'hello'; tab: string }
  | { type: 'bye'; tab: string };

/**
 * The tabs of one user on one server (and several widgets on one page: each counts as a
 * tab) agree that one of them notifies: the holder of a Web Lock named after the two.
 * When it closes, the lock passes to a waiting tab. Over a BroadcastChannel they also
 * tell each other what they show, so that the leader keeps quiet about a conversation
 * the user has open in another, visible tab.
 */
export class TabCoordinator {
  /** Without Web Locks (an old browser), every tab notifies. */
  isLeader = !globalThis.navigator?.locks;
  readonly #tab = crypto.randomUUID();
  readonly #channel: BroadcastChannel;
  readonly #views = new Map<string, TabView>();
  readonly #abort = new AbortController();
  #release: () => void = () => {};
  #announced = '';

  constructor(key: string) {
    const held = new Promise<void>((resolve) => (this.#release = resolve));
    navigator.locks
      ?.request(`im-chat:notify:${key}`, { signal: this.#abort.signal }, async () => {
        this.isLeader = true;
        await held;
      })
      .catch(() => {}); // aborted while waiting: this tab closed first
    this.#channel = new BroadcastChannel(`im-chat:tabs:${key}`);
    this.#channel.onmessage = ({ data }: MessageEvent<TabMessage>) => this.#receive(data);
    this.#post({ type: 'hello', tab: this.#tab });
  }

  /** Tells the other tabs what this one shows, if that changed. */
  show(view: TabView): void {
    const announced = JSON.stringify(view);
    if (announced === this.#announced) return;
    this.#announced = announced;
    this.#post({ type: 'view', tab: this.#tab, view });
  }

  /** Another tab shows this conversation to the user right now. */
  seenElsewhere(conversationId: string): boolean {
    for (const view of this.#views.values()) {
      if (view.visible && view.conversationId === conversationId) return true;
    }
    return false;
  }

  close(): void {
    this.#abort.abort();
    this.#release();
    this.isLeader = false;
    this.#post({ type: 'bye', tab: this.#tab });
    this.#channel.close();
  }

  #receive(message: TabMessage): void {
    if (message.type === 'view') this.#views.set(message.tab, message.view);
    else if (message.type === 'bye') this.#views.delete(message.tab);
    else if (this.#announced) this.#post({ type: 'view', tab: this.#tab, view: JSON.parse(this.#announced) });
  }

  #post(message: TabMessage): void {
    this.#channel.postMessage(message);
  }
}
