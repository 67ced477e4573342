import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HistoryResult, MessageChangeResult, SendMessageResult } from '../../protocol/schemas.js';
import { requireLiveUsers, type AdminDeps } from './deps.js';
import { clientIdFromKey } from './idempotency.js';
import {
  ConversationParams,
  HistoryQuery,
  MessageParams,
  SendMessageBody,
  SingleConversationBody,
  SingleConversationResult,
} from './schemas.js';

const tags = ['messages'];

export function addMessageRoutes(app: FastifyInstance, { domain, callerOf }: AdminDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();

  /** The event's idempotency key: from the request's Idempotency-Key, so that a retry acts once. */
  function clientIdOf(request: FastifyRequest): string {
    const key = request.headers['idempotency-key'];
    return typeof key === 'string' ? clientIdFromKey(callerOf(request), key) : randomBytes(16).toString('base64url');
  }

  api.post('/single-conversations', {
    schema: {
      tags,
      operationId: 'openSingleConversation',
      summary: 'The single chat between two users, made if need be (e.g. a bot and a customer)',
      body: SingleConversationBody,
      response: { 200: SingleConversationResult },
    },
    handler: async ({ body }) => {
      const [userId, peerId] = body.userIds;
      await requireLiveUsers(domain.accounts, [userId, peerId]);
      const { record } = await domain.conversations.startSingle(userId, peerId);
      const { id, memberIds, createdAt, lastSeq } = record;
      return { conversation: { id, type: 'single' as const, memberIds, createdAt, lastSeq } };
    },
  });

  api.post('/conversations/:conversationId/messages', {
    schema: {
      tags,
      operationId: 'sendMessage',
      summary: 'Send a message as a member (a person, or a bot user for system messages)',
      description:
        'Validated and authorized as the member\'s own message:send (mutes, mentions, a dismissed group); ' +
        'connected members receive it live. A repeated clientId (or Idempotency-Key) returns the original.',
      params: ConversationParams,
      body: SendMessageBody,
      response: { 201: SendMessageResult, 200: SendMessageResult },
    },
    handler: async (request, reply) => {
      const { params, body } = request;
      await domain.accounts.requireActive(body.senderId);
      const result = await domain.messaging.send({
        conversationId: params.conversationId,
        senderId: body.senderId,
        clientId: body.clientId ?? clientIdOf(request),
        body: body.body,
        replyToSeq: body.replyToSeq,
      });
      return reply.status(result.duplicate ? 200 : 201).send(result);
    },
  });

  api.get('/conversations/:conversationId/messages', {
    schema: {
      tags,
      operationId: 'listMessages',
      summary: "A page of a conversation's history, in ascending seq order",
      params: ConversationParams,
      querystring: HistoryQuery,
      response: { 200: HistoryResult },
    },
    handler: ({ params, query }) => domain.messaging.hostHistory(params.conversationId, query),
  });

  api.delete('/conversations/:conversationId/messages/:seq', {
    schema: {
      tags,
      operationId: 'removeMessage',
      summary: 'Remove a message for moderation: recalled for everyone, at any time',
      params: MessageParams,
      response: { 200: MessageChangeResult },
    },
    handler: async (request) => {
      const { conversationId, seq } = request.params;
      return domain.messaging.moderate({ conversationId, seq, clientId: clientIdOf(request) });
    },
  });
}
