import { percentiles, type Percentiles } from './percentiles.js';

/** Warm-up and drain are not measured; sending stops when the drain begins. */
export type Phase = 'warmup' | 'measuring' | 'draining';

/** How a send ended: `ok`, or the kind of error (`ack_timeout`, `error:<code>`, …). */
export type AckOutcome = 'ok' | string;

/** Whether every acknowledged message reached its peer exactly once (all phases). */
export interface DeliveryCheck {
  acknowledged: number;
  /** Acknowledged, but the peer never received it. */
  missing: number;
  /** The peer received it more than once. */
  duplicated: number;
  /** A client other than the peer received it. */
  misrouted: number;
  /** Received with a clientId that no client sent. */
  unknown: number;
}

export interface LedgerSummary {
  /** Sent during the measured phase. */
  sent: number;
  /** Acknowledged ok during the measured phase. */
  acknowledged: number;
  /** Of the messages sent during the measured phase: emit to ok ack. */
  ackLatencyMs: Percentiles;
  /** Of the messages sent during the measured phase: emit to the peer's `message:new`. */
  deliveryLatencyMs: Percentiles;
  /** Errors by kind, all phases. */
  errors: Record<string, number>;
  delivery: DeliveryCheck;
}

export interface LoadResult extends LedgerSummary {
  clients: number;
  window: number;
  measuredSeconds: number;
  /** Acknowledged messages per second of the measured phase. */
  messagesPerSecond: number;
  /** The load generator's own CPU (share of one core) and event-loop use while measuring. */
  generator: { cpuPercent: number; eventLoopPercent: number };
}

interface SentMessage {
  receiver: number;
  sentAt: number;
  measured: boolean;
  ack: 'pending' | 'ok' | 'failed';
  deliveries: number;
}

/** Hard cap on messages per run, so that memory stays bounded whatever the settings. */
const maxMessages = 5_000_000;

/** Every message the generator sent, keyed by clientId, and what became of it. */
export class Ledger {
  phase: Phase = 'warmup';
  readonly #messages = new Map<string, SentMessage>();
  readonly #errors = new Map<string, number>();
  readonly #ackLatencies: number[] = [];
  readonly #deliveryLatencies: number[] = [];
  #sentMeasured = 0;
  #acknowledgedMeasured = 0;
  #pendingAcks = 0;
  #awaitingDelivery = 0;
  #misrouted = 0;
  #unknown = 0;

  get canSend(): boolean {
    return this.phase !== 'draining' && this.#messages.size < maxMessages;
  }

  /** No ack is pending and every acknowledged message has been delivered. */
  get settled(): boolean {
    return this.#pendingAcks === 0 && this.#awaitingDelivery === 0;
  }

  get pendingAcks(): number {
    return this.#pendingAcks;
  }

  get awaitingDelivery(): number {
    return this.#awaitingDelivery;
  }

  sent(clientId: string, receiver: number): void {
    const measured = this.phase === 'measuring';
    const sentAt = performance.now();
    this.#messages.set(clientId, { receiver, sentAt, measured, ack: 'pending', deliveries: 0 });
    this.#pendingAcks += 1;
    if (measured) this.#sentMeasured += 1;
  }

  acked(clientId: string, outcome: AckOutcome): void {
    const message = this.#messages.get(clientId)!;
    this.#pendingAcks -= 1;
    if (outcome !== 'ok') {
      message.ack = 'failed';
      this.countError(outcome);
      return;
    }
    message.ack = 'ok';
    if (this.phase === 'measuring') this.#acknowledgedMeasured += 1;
    if (message.measured) this.#ackLatencies.push(performance.now() - message.sentAt);
    if (message.deliveries === 0) this.#awaitingDelivery += 1;
  }

  delivered(clientId: string, receiver: number): void {
    const message = this.#messages.get(clientId);
    if (!message) {
      this.#unknown += 1;
      return;
    }
    if (message.receiver !== receiver) {
      this.#misrouted += 1;
      return;
    }
    message.deliveries += 1;
    if (message.deliveries > 1) return;
    if (message.measured) this.#deliveryLatencies.push(performance.now() - message.sentAt);
    if (message.ack === 'ok') this.#awaitingDelivery -= 1;
  }

  countError(kind: string): void {
    this.#errors.set(kind, (this.#errors.get(kind) ?? 0) + 1);
  }

  summary(): LedgerSummary {
    const delivery: DeliveryCheck = {
      acknowledged: 0,
      missing: 0,
      duplicated: 0,
      misrouted: this.#misrouted,
      unknown: this.#unknown,
    };
    for (const message of this.#messages.values()) {
      if (message.deliveries > 1) delivery.duplicated += 1;
      if (message.ack !== 'ok') continue;
      delivery.acknowledged += 1;
      if (message.deliveries === 0) delivery.missing += 1;
    }
    return {
      sent: this.#sentMeasured,
      acknowledged: this.#acknowledgedMeasured,
      ackLatencyMs: percentiles(this.#ackLatencies),
      deliveryLatencyMs: percentiles(this.#deliveryLatencies),
      errors: Object.fromEntries(this.#errors),
      delivery,
    };
  }
}
