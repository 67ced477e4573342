/**
 * The protocol as JSON Schema (draft 2020-12), generated from the same zod schemas the
 * server validates with, for servers and clients written in other languages. Written to
 * `protocol.schema.json` next to this file by `npm run contracts`; a test keeps it current.
 */
import { z } from 'zod';
import { commands, serverEvents } from './commands.js';
import { ErrorCode } from './errors.js';
import {
  Conversation,
  HandshakeAuth,
  HistoryBody,
  Message,
  MessageBody,
  SystemEvent,
  User,
} from './schemas.js';

type Defs = Record<string, Record<string, unknown>>;

/** Each schema under `$defs`, named `<command>.payload`, `<command>.result`, `event.<name>`. */
export function protocolJsonSchema(): Record<string, unknown> {
  const inputs = z.registry<{ id: string }>();
  const outputs = z.registry<{ id: string }>();
  inputs.add(HandshakeAuth, { id: 'handshake.auth' });
  for (const [name, { payload }] of Object.entries(commands)) inputs.add(payload, { id: `${name}.payload` });
  for (const [name, schema] of [
    ['User', User],
    ['Message', Message],
    ['MessageBody', MessageBody],
    // Named, as it holds itself: otherwise each place it appears would get a nameless copy.
    ['HistoryBody', HistoryBody],
    ['SystemEvent', SystemEvent],
    ['Conversation', Conversation],
  ] as const) {
    outputs.add(schema, { id: name });
  }
  for (const [name, { result }] of Object.entries(commands)) outputs.add(result, { id: `${name}.result` });
  for (const [name, schema] of Object.entries(serverEvents)) outputs.add(schema, { id: `event.${name}` });

  const options = { uri: (id: string) => `#/$defs/${id}`, target: 'draft-2020-12' as const };
  const $defs: Defs = {
    ...definitions(z.toJSONSchema(inputs, { ...options, io: 'input' }).schemas),
    ...definitions(z.toJSONSchema(outputs, { ...options, io: 'output' }).schemas),
  };
  const errorCodes = Object.values(ErrorCode);
  $defs['Ack'] = {
    description: "Every command's reply: the ack callback's one argument.",
    oneOf: [
      { type: 'object', properties: { ok: { const: true }, data: {} }, required: ['ok', 'data'] },
      {
        type: 'object',
        properties: { ok: { const: false }, error: { $ref: '#/$defs/ProtocolError' } },
        required: ['ok', 'error'],
      },
    ],
  };
  // The lists of names are schemas too (enums), so that strict validators accept the document.
  $defs['CommandName'] = {
    description: 'The events a client emits with an ack: `<name>.payload` in, `<name>.result` back.',
    enum: Object.keys(commands),
  };
  $defs['ServerEventName'] = {
    description: 'The events the server emits: each carries `event.<name>`.',
    enum: Object.keys(serverEvents),
  };
  $defs['ProtocolError'] = {
    type: 'object',
    properties: {
      code: { type: 'string', description: `One of ${errorCodes.join(', ')}; treat others like internal.` },
      message: { type: 'string' },
      retryAfterMs: { type: 'integer', minimum: 0 },
      issues: {
        type: 'array',
        items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
      },
    },
    required: ['code', 'message'],
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'The im-chat wire protocol',
    description:
      'Socket.IO v4 events. Each command (CommandName) is emitted with one payload (`<command>.payload`) and an ack ' +
      'callback that receives an Ack whose `data` is `<command>.result`. Server events (ServerEventName) are `event.<name>`. ' +
      'The handshake sends `handshake.auth`. See src/protocol/README.md.',
    $defs: Object.fromEntries(Object.entries($defs).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function definitions(schemas: Record<string, unknown>): Defs {
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _schema, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}
