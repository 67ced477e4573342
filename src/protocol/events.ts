/**
 * The socket.io event maps, typed for both directions. Every client -> server event is a
 * command: its last argument is an ack callback that receives an `Ack<Result>`.
 *
 * Runtime schemas for the same events live in `commands.ts` (server side only).
 */
import type { AckCallback } from './ack.js';
import type {
  AuthRefreshPayload,
  AuthRefreshResult,
  HistoryPayload,
  HistoryResult,
  Message,
  ReadPayload,
  ReadResult,
  ReadState,
  SendMessagePayload,
  SendMessageResult,
  Session,
  StartConversationPayload,
  StartConversationResult,
  SyncPayload,
  SyncResult,
  UserSearchPayload,
  UserSearchResult,
} from './schemas.js';

export interface ClientToServerEvents {
  'message:send': (payload: SendMessagePayload, ack: AckCallback<SendMessageResult>) => void;
  'message:history': (payload: HistoryPayload, ack: AckCallback<HistoryResult>) => void;
  'conversation:sync': (payload: SyncPayload, ack: AckCallback<SyncResult>) => void;
  'conversation:start': (
    payload: StartConversationPayload,
    ack: AckCallback<StartConversationResult>,
  ) => void;
  'conversation:read': (payload: ReadPayload, ack: AckCallback<ReadResult>) => void;
  'user:search': (payload: UserSearchPayload, ack: AckCallback<UserSearchResult>) => void;
  'auth:refresh': (payload: AuthRefreshPayload, ack: AckCallback<AuthRefreshResult>) => void;
}

export interface ServerToClientEvents {
  /** First event on every connection, before any other. */
  'session:ready': (session: Session) => void;
  /** A new timeline event in a conversation the user belongs to. */
  'message:new': (message: Message) => void;
  /** A member's read position moved (sent to that member's other connections). */
  'conversation:read': (state: ReadState) => void;
}

export type CommandName = keyof ClientToServerEvents;

/** The payload type a command takes. */
export type CommandPayload<E extends CommandName> = Parameters<ClientToServerEvents[E]>[0];

/** The `data` type of a command's successful ack. */
export type CommandResult<E extends CommandName> =
  Parameters<ClientToServerEvents[E]>[1] extends AckCallback<infer R> ? R : never;
