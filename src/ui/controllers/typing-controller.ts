import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatClient } from '../../client/index.js';

/** Who is typing in the host's conversation, kept current from the client's typing events. */
export class TypingController implements ReactiveController {
  #client: ChatClient | undefined;
  #unsubscribe: (() => void) | null = null;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly source: { client: () => ChatClient | undefined; conversationId: () => string | null },
  ) {
    host.addController(this);
  }

  /** Ids of the people typing in the conversation now. */
  get typists(): string[] {
    const id = this.source.conversationId();
    return id && this.#client ? this.#client.conversations.typists(id) : [];
  }

  hostConnected(): void {
    this.#follow();
  }

  hostUpdate(): void {
    // The client comes from a context and may arrive (or change) after connecting.
    if (this.source.client() !== this.#client) this.#follow();
  }

  hostDisconnected(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#client = undefined;
  }

  #follow(): void {
    this.#unsubscribe?.();
    this.#client = this.source.client();
    this.#unsubscribe =
      this.#client?.conversations.on('typing', ({ conversationId }) => {
        if (conversationId === this.source.conversationId()) this.host.requestUpdate();
      }) ?? null;
  }
}
