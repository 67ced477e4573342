/**
 * Drives `<im-chat mode="support">` the way a visitor does (the launcher, the panel, its
 * form and composer), and the team's side with real agents signed in as headless clients.
 */
import { fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatClient } from '../../../src/client/index.js';
import type { SupportConversation } from '../../../src/protocol/index.js';
import '../../../src/ui/index.js';
import type { ImChat } from '../../../src/ui/index.js';
import { signIn, online } from './chat-clients.js';
import { adminApi, serverUrl, tokenFor, uniqueUser, waitFor } from './im-server.js';
import { allInShadow, inShadow } from './widget.js';

export interface SupportAttributes {
  lang?: string;
  token?: string;
  prechatName?: string;
  prechatEmail?: string;
  context?: string;
}

/** A support bubble on the page, as a site embeds it. */
export async function mountSupport(attributes: SupportAttributes = {}): Promise<SupportWidget> {
  const element = await fixture<ImChat>(html`<im-chat
    mode="support"
    server=${await serverUrl()}
    lang=${attributes.lang ?? 'en'}
    token=${attributes.token ?? ''}
    prechat-name=${attributes.prechatName ?? ''}
    prechat-email=${attributes.prechatEmail ?? ''}
    context=${attributes.context ?? ''}
  ></im-chat>`);
  return new SupportWidget(element);
}

export class SupportWidget {
  constructor(readonly element: ImChat) {}

  launcher(): HTMLButtonElement {
    return inShadow<HTMLButtonElement>(this.element, 'im-support-widget', 'button.launcher')!;
  }

  panel(): HTMLElement {
    return inShadow(this.element, 'im-support-widget', '.panel')!;
  }

  isOpen(): boolean {
    return !this.panel().hidden;
  }

  badge(): string | null {
    return inShadow(this.element, 'im-support-widget', '.badge')?.textContent?.trim() ?? null;
  }

  /** Opens the panel with the launcher and waits until the visitor can write. */
  async openAndWaitForComposer(): Promise<HTMLTextAreaElement> {
    if (!this.isOpen()) this.launcher().click();
    return waitFor(() => this.composer(), 'the composer in the panel', 15_000);
  }

  composer(): HTMLTextAreaElement | null {
    return inShadow<HTMLTextAreaElement>(this.element, 'im-support-widget', 'im-message-pane', 'im-composer', 'textarea');
  }

  form(): HTMLFormElement | null {
    return inShadow<HTMLFormElement>(this.element, 'im-support-widget', 'im-prechat-form', 'form');
  }

  /** The pane's subtitle: who answers, or when the team does. */
  subtitle(): string {
    return inShadow(this.element, 'im-support-widget', 'im-message-pane', '[part="presence"]')?.textContent?.trim() ?? '';
  }

  /** `text:own|theirs` of each message, system events as their text. */
  entries(): string[] {
    const list = inShadow(this.element, 'im-support-widget', 'im-message-pane', 'im-message-list');
    return [...(list?.shadowRoot?.querySelectorAll<HTMLElement>('li.message, li.event') ?? [])].map((item) =>
      item.classList.contains('message')
        ? `${item.querySelector('.text')?.textContent ?? ''}:${item.classList.contains('own') ? 'own' : 'theirs'}`
        : `[${item.textContent?.trim()}]`,
    );
  }

  /** Types a message with real key presses and sends it with Enter. */
  async ask(text: string): Promise<void> {
    const composer = await this.openAndWaitForComposer();
    composer.focus();
    await sendKeys({ type: text });
    await sendKeys({ press: 'Enter' });
    await waitFor(() => this.entries().some((entry) => entry.startsWith(`${text}:own`)), `"${text}" in the panel`).catch((error: Error) => {
      throw new Error(`${error.message} ${JSON.stringify(this.entries())} ${this.element.chatClient?.status} ${this.element.chatClient?.user?.id}`);
    });
  }

  formErrors(): string[] {
    return allInShadow<HTMLElement>(this.element, 'im-support-widget', 'im-prechat-form', '.field-error, .form-error').map(
      (node) => node.textContent!.trim(),
    );
  }
}

/** A support agent: a user given the role through the admin API, signed in and online. */
export async function startAgent(name: string): Promise<{ id: string; client: ChatClient }> {
  const id = uniqueUser(name);
  const saved = await adminApi('PUT', `/users/${id}`, { name, roles: ['agent'] });
  if (saved.status !== 200) throw new Error(`could not make ${name} an agent: ${JSON.stringify(saved.body)}`);
  const client = await signIn(id, { token: await tokenFor(id, { name }) });
  await online(client, `${name} to be online`);
  return { id, client };
}

/** The agent's cached support case with this customer, once it is there. */
export function caseOf(agent: ChatClient, customerId: string): Promise<SupportConversation> {
  return waitFor(async () => {
    const all = (await agent.cache?.allConversations()) ?? [];
    return all.find(
      (conversation): conversation is SupportConversation & (typeof all)[number] =>
        conversation.type === 'support' && conversation.case?.customerId === customerId,
    );
  }, 'the case in the agent’s cache', 15_000);
}
