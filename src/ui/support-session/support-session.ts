import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ChatError, LocalErrorCode, VisitorIdentity, type TokenProvider } from '../../client/index.js';
import type { PageInfo, Prechat, PrechatField, SupportConfig, SupportContext, User } from '../../protocol/index.js';
import type { ClientController, ClientCredentials } from '../controllers/client-controller.js';
import { LiveQueryController } from '../controllers/live-query-controller.js';
import { instanceName, readSupportOpen, writeSupportOpen } from './open-state.js';
import { pageInfo, strongerField } from './page.js';

export interface HostSignIn {
  token?: string;
  tokenProvider?: TokenProvider;
}

export interface SupportSessionOptions {
  /**
   * Whether the element is the support bubble now: in the other modes the session does
   * nothing (a panel remembered as open for the tab opens no conversation there).
   */
  active: () => boolean;
  server: () => string;
  /** The host's own sign-in (the `token` attribute, `setUser`, `tokenProvider`); null: a visitor. */
  hostSignIn: () => HostSignIn | null;
  clients: ClientController;
  /** What the host says of the page (the `context` attribute or property). */
  context: () => SupportContext | null;
  /** The pre-chat fields the element's attributes ask for (the server may ask for more). */
  prechat: () => { name: PrechatField | null; email: PrechatField | null };
  onOpenChange: (open: boolean) => void;
  onError: (error: ChatError) => void;
}

/**
 * The customer's side of support mode: an anonymous visitor identity made only once they
 * open the chat (or one they already have), the panel's open state across the site's pages,
 * the team's configuration, the customer's one support conversation, the page they are
 * on, and handing a visitor's conversation to the user once the host signs them in.
 */
export class SupportSession implements ReactiveController {
  isOpen = false;
  config: SupportConfig | null = null;
  /** Why starting failed (an error code), or null. */
  error: string | null = null;
  /** Waiting for a visitor identity or for the conversation to start. */
  busy = false;
  #identity: VisitorIdentity | null = null;
  #identityServer = '';
  #lastStatus = '';
  #sentPage = '';
  #contextTimer: ReturnType<typeof setTimeout> | undefined;
  #claiming = false;
  readonly #conversation: LiveQueryController<string | null>;
  readonly #onNavigate = () => this.pageChanged();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly options: SupportSessionOptions,
  ) {
    host.addController(this);
    this.#conversation = new LiveQueryController(host, {
      query: () => {
        const cache = options.clients.session.cache;
        return cache ? async () => (await cache.latestSupportConversation())?.id ?? null : null;
      },
      deps: () => [options.clients.session.cache],
    });
  }

  /** The customer's support conversation, from the cache (offline too). */
  get conversationId(): string | null {
    return this.#conversation.value ?? null;
  }

  /** The fields the form asks for, or null when it need not show (a conversation exists). */
  get prechatFields(): { name: PrechatField; email: PrechatField } | null {
    if (this.conversationId || !this.config) return null;
    const asked = this.options.prechat();
    const name = this.options.hostSignIn() ? 'off' : strongerField(this.config.prechat.name, asked.name);
    const email = strongerField(this.config.prechat.email, asked.email);
    return name === 'off' && email === 'off' ? null : { name, email };
  }

  /** Whom the client signs in as: the host's user, the visitor, or nobody yet. */
  credentials(): ClientCredentials | null {
    const server = this.options.server();
    if (!server) return null;
    const signIn = this.options.hostSignIn();
    if (signIn) return { server, ...signIn };
    const visitor = this.#identityFor(server).credentials;
    return visitor
      ? { server, tokenProvider: this.#identityFor(server).tokenProvider, expectedUserId: visitor.visitorId }
      : null;
  }

  hostConnected(): void {
    const server = this.options.server();
    if (server) this.isOpen = readSupportOpen(server, instanceName(this.host));
    addEventListener('popstate', this.#onNavigate);
    addEventListener('hashchange', this.#onNavigate);
    navigation()?.addEventListener('navigatesuccess', this.#onNavigate);
  }

  hostDisconnected(): void {
    removeEventListener('popstate', this.#onNavigate);
    removeEventListener('hashchange', this.#onNavigate);
    navigation()?.removeEventListener('navigatesuccess', this.#onNavigate);
    clearTimeout(this.#contextTimer);
  }

  hostUpdated(): void {
    const { status } = this.options.clients.session;
    if (status === this.#lastStatus || !this.options.active()) return;
    this.#lastStatus = status;
    if (status === 'online') void this.#online();
  }

  /** Opens (or closes) the panel; the first opening makes the visitor's identity. */
  async setOpen(open: boolean): Promise<void> {
    if (open === this.isOpen || !this.options.active()) return;
    this.isOpen = open;
    writeSupportOpen(this.options.server(), instanceName(this.host), open);
    this.options.onOpenChange(open);
    this.host.requestUpdate();
    if (open) await this.#begin();
  }

  /** The pre-chat form was filled in: start the conversation with it. False if that failed (see `error`). */
  submitPrechat(prechat: Prechat): Promise<boolean> {
    return this.#start(prechat);
  }

  /** After the host signed a user in: their session is up, claim what the visitor wrote. */
  async sessionStarted(user: User): Promise<void> {
    const identity = this.#identity;
    const visitor = identity?.credentials;
    const client = this.options.clients.client;
    if (!visitor || !client || !this.options.hostSignIn() || user.id === visitor.visitorId || this.#claiming) return;
    this.#claiming = true;
    try {
      await client.support.claim(visitor);
      identity.forget();
    } catch (error) {
      // Unknown to the server (or claimed by someone else): nothing to hand over.
      if (error instanceof ChatError && error.code === 'not_found') identity.forget();
    } finally {
      this.#claiming = false;
    }
  }

  /** Forgets the visitor (the host signed its user out): the next opening starts afresh. */
  forgetVisitor(): void {
    this.#identity?.forget();
    this.#sentPage = '';
  }

  /** The page or what the host says of it changed: tell the agents, a moment later. */
  pageChanged(): void {
    clearTimeout(this.#contextTimer);
    if (!this.options.active()) return;
    this.#contextTimer = setTimeout(() => void this.#sendPage(), 300);
  }

  async #begin(): Promise<void> {
    const server = this.options.server();
    if (!server) return;
    if (!this.options.hostSignIn() && !this.#identityFor(server).credentials) {
      this.busy = true;
      this.host.requestUpdate();
      try {
        await this.#identityFor(server).ensure();
      } catch (error) {
        this.#failed(error);
        return;
      } finally {
        this.busy = false;
      }
      this.options.clients.configure();
    }
    if (this.options.clients.session.status === 'online') await this.#online();
  }

  async #online(): Promise<void> {
    const client = this.options.clients.client;
    if (!client) return;
    try {
      this.config = await client.support.config();
    } catch (error) {
      this.#failed(error);
      return;
    }
    this.host.requestUpdate();
    const hasConversation = !!(await this.options.clients.session.cache?.latestSupportConversation());
    if (hasConversation) await this.#sendPage();
    else if (this.isOpen && !this.prechatFields) await this.#start();
  }

  async #start(prechat?: Prechat): Promise<boolean> {
    const client = this.options.clients.client;
    if (!client) return false;
    const page = pageInfo();
    const context = this.options.context();
    this.busy = true;
    this.error = null;
    this.host.requestUpdate();
    try {
      await client.support.start({ ...(page ? { page } : {}), ...(context ? { context } : {}), ...(prechat ? { prechat } : {}) });
      this.#sentPage = pageKey(page, context);
      return true;
    } catch (error) {
      this.#failed(error);
      return false;
    } finally {
      this.busy = false;
      this.host.requestUpdate();
    }
  }

  async #sendPage(): Promise<void> {
    const client = this.options.clients.client;
    const conversationId = this.conversationId;
    const page = pageInfo();
    const context = this.options.context();
    const key = pageKey(page, context);
    if (!client || !conversationId || !page || key === this.#sentPage) return;
    if (this.options.clients.session.status !== 'online') return; // sent when back online
    try {
      await client.support.setContext(conversationId, page, context);
      this.#sentPage = key;
    } catch (error) {
      if (!(error instanceof ChatError && error.code === LocalErrorCode.Offline)) this.options.onError(error as ChatError);
    }
  }

  #identityFor(server: string): VisitorIdentity {
    if (!this.#identity || this.#identityServer !== server) {
      this.#identityServer = server;
      this.#identity = new VisitorIdentity({
        server,
        onSpent: () => {
          // Signed in elsewhere, or forgotten by the server: a new visitor from now on.
          this.options.clients.configure();
          if (this.isOpen) void this.#begin();
        },
      });
    }
    return this.#identity;
  }

  #failed(error: unknown): void {
    this.error = error instanceof ChatError ? error.code : 'unknown';
    this.host.requestUpdate();
    if (error instanceof ChatError) this.options.onError(error);
  }
}

function pageKey(page: PageInfo | null, context: SupportContext | null): string {
  return JSON.stringify([page, context]);
}

/** The Navigation API, where the browser has it (single-page apps navigate through it). */
function navigation(): EventTarget | undefined {
  return (globalThis as { navigation?: EventTarget }).navigation;
}
