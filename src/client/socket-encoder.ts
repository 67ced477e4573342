import { Decoder, Encoder, protocol, type Packet } from 'socket.io-parser';
import { plainJson } from './plain-json.js';

/**
 * socket.io's packet encoder with the payload written by {@link plainJson}, so that a host
 * page's `toJSON` patches on built-in prototypes do not reach the wire. Packets that carry
 * binary attachments keep socket.io's own path (the widget sends files over HTTP).
 */
class PlainJsonEncoder extends Encoder {
  override encode(packet: Packet): ReturnType<Encoder['encode']> {
    if (packet.data === undefined || packet.data === null || hasBinary(packet.data)) return super.encode(packet);
    const [head] = super.encode({ ...packet, data: undefined });
    return [`${head as string}${plainJson(packet.data) ?? ''}`];
  }
}

function hasBinary(value: unknown): boolean {
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value) || (typeof Blob !== 'undefined' && value instanceof Blob)) {
    return true;
  }
  if (typeof value !== 'object' || value === null) return false;
  const members = Array.isArray(value) ? value : Object.values(value);
  for (let i = 0; i < members.length; i++) if (hasBinary(members[i])) return true;
  return false;
}

/** The `parser` option of socket.io-client. */
export const socketParser = { protocol, Encoder: PlainJsonEncoder, Decoder };
