import type { z } from 'zod';
import type { CommandName, CommandResult, User } from '../../protocol/index.js';
import type { commands } from '../../protocol/commands.js';
import type { Authenticator } from '../auth/authenticator.js';
import type { Clock } from '../clock.js';
import type { Accounts } from '../accounts/accounts.js';
import type { Blocks } from '../accounts/blocks.js';
import type { Groups } from '../groups/groups.js';
import type { Messaging } from '../messages/messaging.js';
import type { VoicePlays } from '../messages/voice-plays.js';
import type { Conversations } from '../conversations/conversations.js';
import type { ReadState } from '../reads/read-state.js';
import type { FanOut } from '../fan-out/fan-out.js';
import type { FileAccess } from '../files/file-access.js';
import type { MembershipCache } from '../membership.js';
import type { Presence } from '../presence.js';
import type { PushNotifier } from '../push/push-notifier.js';
import type { KeyedLimiter } from '../rate-limit.js';
import type { MessageSearch } from '../search/message-search.js';
import type { SessionExpiry } from '../session-expiry.js';
import type { SupportDesk } from '../support/support-desk.js';
import type { Visitors } from '../support/visitors.js';
import type { ImSocket } from '../types.js';

/** A command's payload after validation (defaults applied). */
export type ParsedPayload<E extends CommandName> = z.output<(typeof commands)[E]['payload']>;

export interface CommandContext {
  socket: ImSocket;
  /** The authenticated caller. */
  user: User;
  /**
   * Sends the ack now, before the command's broadcast, so that the caller learns its own
   * seq before any later entry of the same conversation reaches it. Later answers
   * (the handler's return value included) are then dropped.
   */
  acknowledge(data: unknown): void;
}

/**
 * Runs one validated command and returns the ack's `data`. A CommandError it throws
 * reaches the client as is; anything else becomes `internal`.
 */
export type CommandHandler<E extends CommandName> = (
  payload: ParsedPayload<E>,
  context: CommandContext,
) => Promise<CommandResult<E>>;

export type CommandHandlers<E extends CommandName = CommandName> = {
  [K in E]: CommandHandler<K>;
};

/** What handler factories are built from. */
export interface HandlerDeps {
  /** Where live events leave: rooms, joins, leaves and emits. */
  fanOut: FanOut;
  membership: MembershipCache;
  auth: Authenticator;
  sessions: SessionExpiry;
  clock: Clock;
  /** Invite codes tried, per user. */
  inviteLimit: KeyedLimiter;
  /** Signs and checks the tokens of file URLs. */
  fileAccess: FileAccess;
  /** Who is connected; tells watchers when someone comes or goes. */
  presence: Presence;
  /** Web Push to members with no connection. */
  push: PushNotifier;
  /** Full-text search over what the caller may read. */
  search: MessageSearch;
  messaging: Messaging;
  /** Who played which voice message. */
  voicePlays: VoicePlays;
  conversations: Conversations;
  reads: ReadState;
  groups: Groups;
  accounts: Accounts;
  /** Who blocked whom. */
  blocks: Blocks;
  /** The support team: agents, routing, availability. */
  support: SupportDesk;
  /** Anonymous visitors' identities. */
  visitors: Visitors;
}
