/** The runtime schema of every command: what the server validates, and what docs describe. */
import type { z } from 'zod';
import type { CommandName } from './events.js';
import {
  AuthRefreshPayload,
  AuthRefreshResult,
  HistoryPayload,
  HistoryResult,
  ReadPayload,
  ReadResult,
  SendMessagePayload,
  SendMessageResult,
  StartConversationPayload,
  StartConversationResult,
  SyncPayload,
  SyncResult,
  UserSearchPayload,
  UserSearchResult,
} from './schemas.js';

export interface CommandSchema {
  payload: z.ZodType;
  result: z.ZodType;
}

export const commandSchemas = {
  'message:send': { payload: SendMessagePayload, result: SendMessageResult },
  'message:history': { payload: HistoryPayload, result: HistoryResult },
  'conversation:sync': { payload: SyncPayload, result: SyncResult },
  'conversation:start': { payload: StartConversationPayload, result: StartConversationResult },
  'conversation:read': { payload: ReadPayload, result: ReadResult },
  'user:search': { payload: UserSearchPayload, result: UserSearchResult },
  'auth:refresh': { payload: AuthRefreshPayload, result: AuthRefreshResult },
} as const satisfies Record<CommandName, CommandSchema>;
