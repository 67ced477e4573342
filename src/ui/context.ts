import { createContext } from '@lit/context';
import type { ChatCache, ChatClient, ClientStatus } from '../client/index.js';
import type { SupportConfig, User } from '../protocol/index.js';
import type { Translator } from './i18n/index.js';

/** The headless client. Stable for the life of an `<im-chat>` (replaced only if `server` changes). */
export const clientContext = createContext<ChatClient | undefined>(Symbol('im-chat/client'));

/** What the parts render from. Immutable: a new object on every change. */
export interface SessionSnapshot {
  status: ClientStatus;
  /** The signed-in user's cache; null before the user is known. */
  cache: ChatCache | null;
  user: User | null;
  /** Why the server refused the session (error code), when status is `unauthorized`. */
  refusal: string | null;
  /** Visitors the user signed in from: messages they sent are the user's own. */
  aliases: readonly string[];
}

export const sessionContext = createContext<SessionSnapshot>(Symbol('im-chat/session'));

export const translatorContext = createContext<Translator>(Symbol('im-chat/translator'));

/** Settings of the `<im-chat>` element that its parts need. */
export interface WidgetSettings {
  /** The query parameter of invite links (`join-param`). */
  joinParam: string;
  /** The page invite links open (`invite-url`); empty for this page without its query. */
  inviteUrl: string;
  /** The level of the widget's top headings (`heading-level`, 1–6); those below them go one deeper. */
  headingLevel: number;
}

export const settingsContext = createContext<WidgetSettings>(Symbol('im-chat/settings'));

/** Support mode: the team's name, texts and availability, once the server told them. */
export const supportConfigContext = createContext<SupportConfig | null>(Symbol('im-chat/support-config'));
