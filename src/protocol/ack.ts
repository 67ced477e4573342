import type { ProtocolError } from './errors.js';

/** The reply to every command: the last argument of the emit is a callback taking this. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ProtocolError };

export type AckCallback<T> = (response: Ack<T>) => void;

export function ok<T>(data: T): Ack<T> {
  return { ok: true, data };
}

export function fail(error: ProtocolError): Ack<never> {
  return { ok: false, error };
}
