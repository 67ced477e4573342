import type { FastifyBaseLogger } from 'fastify';
import type { BackgroundWork } from '../background.js';
import type { CommittedEvent } from './events.js';

/**
 * One party that hears of what committed, at any of three moments of each event. A
 * stage returns `undefined` when the event does not concern it, so that an event nobody
 * wants costs no work.
 */
export interface EventSubscriber {
  /**
   * First, before the command is answered or anyone hears of the event: what must be kept
   * (the webhooks' queue). A failure fails the command, and its retry records the event
   * again (`republish`), so recording twice must keep it once.
   */
  record?(event: CommittedEvent): Promise<void> | undefined;
  /** Then, right after the command's ack and in the same tick: live delivery. */
  deliver?(event: CommittedEvent): void;
  /** Last, in the background: work the answer never waits for (pushes, support's routing). */
  follow?(event: CommittedEvent): Promise<void> | undefined;
}

export interface PublishOptions {
  /**
   * Answers the command that made the event, once the event is recorded and before it is
   * delivered; not called if recording failed (the command fails instead).
   */
  acknowledge?: () => void;
}

export interface EventStreamOptions {
  /** Where the follow stage runs, so that a shutdown waits for it. */
  background: BackgroundWork;
  /** Where a failed follow-up is told (it has no caller to fail). */
  logger: Pick<FastifyBaseLogger, 'error'>;
}

type Failure = { error: unknown } | null;

/**
 * The one way from committed changes to everyone who hears of them. A conversation's
 * events pass one at a time, in the order they were published (the order their writes
 * committed, so entries in seq order): a later entry is neither acknowledged nor
 * delivered before an earlier one, however long recording the earlier one takes.
 * Events of different conversations do not wait for each other.
 *
 * @example
 * const events = new EventStream({ background, logger });
 * events.subscribe(webhooks);
 * events.subscribe(fanOut);
 * await events.publish({ type: 'entry.added', conversationId, entry }, { acknowledge });
 */
export class EventStream {
  readonly #subscribers: EventSubscriber[] = [];
  /** Per conversation: settles once its latest published event has been delivered. */
  readonly #lanes = new Map<string, Promise<void>>();

  constructor(private readonly options: EventStreamOptions) {}

  /** Subscribers hear each stage in the order they subscribed. */
  subscribe(subscriber: EventSubscriber): void {
    this.#subscribers.push(subscriber);
  }

  /**
   * Records the event, acknowledges the command, delivers the event and starts what
   * follows it. Rejects when recording failed: the event was delivered anyway (it did
   * commit) but the command was not acknowledged, and its retry must `republish`.
   */
  async publish(event: CommittedEvent, options: PublishOptions = {}): Promise<void> {
    const lane = event.conversationId;
    const previous = this.#lanes.get(lane);
    const turn = previous ? previous.then(() => this.#pass(event, options)) : this.#pass(event, options);
    const passed = turn.then(
      () => undefined,
      () => undefined,
    );
    this.#lanes.set(lane, passed);
    void passed.then(() => {
      if (this.#lanes.get(lane) === passed) this.#lanes.delete(lane);
    });
    const failure = await turn;
    if (failure) throw failure.error;
  }

  /**
   * A retried command whose event committed the first time: it is recorded again (in case
   * the first attempt failed to), but nothing is delivered or followed a second time.
   */
  async republish(event: CommittedEvent): Promise<void> {
    const failure = await this.#record(event);
    if (failure) throw failure.error;
  }

  async #pass(event: CommittedEvent, { acknowledge }: PublishOptions): Promise<Failure> {
    const failure = await this.#record(event);
    // The ack first and the delivery in the same tick: the command's connection learns
    // its entry's seq before any later entry of the conversation reaches it, so it never
    // mistakes its own entry for a gap.
    if (!failure) acknowledge?.();
    for (const subscriber of this.#subscribers) subscriber.deliver?.(event);
    for (const subscriber of this.#subscribers) this.#follow(subscriber, event);
    return failure;
  }

  /** Every subscriber records, even after one failed; the first failure is the answer. */
  async #record(event: CommittedEvent): Promise<Failure> {
    let failure: Failure = null;
    for (const subscriber of this.#subscribers) {
      try {
        const recording = subscriber.record?.(event);
        if (recording) await recording;
      } catch (error) {
        failure ??= { error };
      }
    }
    return failure;
  }

  #follow(subscriber: EventSubscriber, event: CommittedEvent): void {
    let work: Promise<void> | undefined;
    try {
      work = subscriber.follow?.(event);
    } catch (error) {
      this.#followFailed(error, event);
      return;
    }
    if (!work) return;
    void this.options.background.run(work.catch((error: unknown) => this.#followFailed(error, event)));
  }

  #followFailed(error: unknown, event: CommittedEvent): void {
    this.options.logger.error(
      { err: error, type: event.type, conversationId: event.conversationId },
      'could not follow up a committed event',
    );
  }
}
