import { describe, expect, it } from 'vitest';
import type { Message } from '../../../src/protocol/index.js';
import { BackgroundWork } from '../../../src/server/background.js';
import { EventStream, type EventSubscriber } from '../../../src/server/events/event-stream.js';
import type { CommittedEvent, EntryAdded } from '../../../src/server/events/events.js';

/**
 * The stream alone: its subscribers here are stand-ins that write down what they hear,
 * because the order in which the stages reach them is what the stream promises.
 */

const entry = (conversationId: string, seq: number): EntryAdded => {
  const message: Message = {
    id: `${conversationId}-${seq}`,
    conversationId,
    seq,
    senderId: 'alice',
    clientId: `client-${seq}`,
    body: { type: 'text', text: `hello ${seq}` },
    createdAt: 1000 + seq,
  };
  return { type: 'entry.added', conversationId, entry: message };
};

const labelOf = (event: CommittedEvent): string =>
  event.type === 'entry.added' ? `${event.conversationId}:${event.entry.seq}` : event.type;

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

class CountingBackground extends BackgroundWork {
  runs = 0;

  override run<T>(work: Promise<T>): Promise<T> {
    this.runs += 1;
    return super.run(work);
  }
}

function setUp() {
  const log: string[] = [];
  const errors: unknown[][] = [];
  const background = new CountingBackground();
  const stream = new EventStream({ background, logger: { error: (...args: unknown[]) => void errors.push(args) } });
  const publish = (event: EntryAdded) =>
    stream.publish(event, { acknowledge: () => void log.push(`ack ${labelOf(event)}`) });
  return { log, errors, background, stream, publish };
}

/** Writes down each stage it hears; `record` may be slowed or made to fail per event. */
function recorder(log: string[], name: string, record?: (label: string) => Promise<void> | undefined): EventSubscriber {
  return {
    record: (event) => {
      const label = labelOf(event);
      log.push(`${name} records ${label}`);
      return record?.(label) ?? Promise.resolve();
    },
  };
}

const live = (log: string[], name = 'live'): EventSubscriber => ({
  deliver: (event) => void log.push(`${name} delivers ${labelOf(event)}`),
});

describe('the event stream', () => {
  it('records an entry, then acknowledges and delivers it in the same tick, then follows it without delaying the answer', async () => {
    const { log, background, stream } = setUp();
    const pushed = deferred();
    stream.subscribe(recorder(log, 'webhooks'));
    stream.subscribe(live(log, 'live'));
    stream.subscribe(live(log, 'second live'));
    stream.subscribe({
      follow: (event) => {
        log.push(`push follows ${labelOf(event)}`);
        return pushed.promise.then(() => void log.push('push done'));
      },
    });

    await stream.publish(entry('c', 1), {
      acknowledge: () => {
        log.push('ack c:1');
        queueMicrotask(() => log.push('next tick'));
      },
    });

    expect(log).toEqual([
      'webhooks records c:1',
      'ack c:1',
      'live delivers c:1',
      'second live delivers c:1',
      'push follows c:1',
      'next tick',
    ]);
    expect(background.runs).toBe(1);
    pushed.resolve();
    await background.settled();
    expect(log.at(-1)).toBe('push done');
  });

  it('passes a conversation’s entries in the order they were published, however long recording the first takes', async () => {
    const { log, stream, publish } = setUp();
    const slowDisk = deferred();
    stream.subscribe(recorder(log, 'webhooks', (label) => (label === 'c:1' ? slowDisk.promise : undefined)));
    stream.subscribe(live(log));

    const first = publish(entry('c', 1));
    const second = publish(entry('c', 2));
    await publish(entry('other', 1));

    // Another conversation does not wait; this one's second entry waits for its first.
    expect(log).toEqual(['webhooks records c:1', 'webhooks records other:1', 'ack other:1', 'live delivers other:1']);
    slowDisk.resolve();
    await Promise.all([first, second]);
    expect(log.filter((line) => line.includes(' c:'))).toEqual([
      'webhooks records c:1',
      'ack c:1',
      'live delivers c:1',
      'webhooks records c:2',
      'ack c:2',
      'live delivers c:2',
    ]);
  });

  it('delivers an entry it could not record without acknowledging it, fails the command, and records it again on the retry only', async () => {
    const { log, stream, publish } = setUp();
    const queued: string[] = [];
    let diskFull = true;
    stream.subscribe(
      recorder(log, 'webhooks', async (label) => {
        if (diskFull) throw new Error('disk full');
        if (!queued.includes(label)) queued.push(label);
      }),
    );
    stream.subscribe(live(log));
    stream.subscribe({ follow: (event) => void log.push(`push follows ${labelOf(event)}`) });

    await expect(publish(entry('c', 1))).rejects.toThrow('disk full');
    expect(log).toEqual(['webhooks records c:1', 'live delivers c:1', 'push follows c:1']);

    diskFull = false;
    await stream.republish(entry('c', 1));
    expect(queued).toEqual(['c:1']);
    expect(log.filter((line) => line.includes('delivers') || line.includes('follows'))).toHaveLength(2);

    // The conversation goes on: its next entry is not held by the failed one.
    await publish(entry('c', 2));
    expect(queued).toEqual(['c:1', 'c:2']);
    expect(log.slice(-3)).toEqual(['ack c:2', 'live delivers c:2', 'push follows c:2']);
  });

  it('lets every subscriber record even after one failed, and answers with the first failure', async () => {
    const { log, stream, publish } = setUp();
    stream.subscribe(recorder(log, 'first', () => Promise.reject(new Error('first failed'))));
    stream.subscribe(recorder(log, 'second', () => Promise.reject(new Error('second failed'))));
    stream.subscribe(recorder(log, 'third'));

    await expect(publish(entry('c', 1))).rejects.toThrow('first failed');
    expect(log).toEqual(['first records c:1', 'second records c:1', 'third records c:1']);
    await expect(stream.republish(entry('c', 1))).rejects.toThrow('first failed');
  });

  it('starts no background work for an event nobody follows, and logs a failed follow-up without failing the command', async () => {
    const { log, errors, background, stream, publish } = setUp();
    let pushesWanted = false;
    stream.subscribe({
      follow: () => (pushesWanted ? Promise.reject(new Error('push service down')) : undefined),
    });

    await publish(entry('c', 1));
    expect(background.runs).toBe(0);

    pushesWanted = true;
    await publish(entry('c', 2));
    await background.settled();
    expect(log).toEqual(['ack c:1', 'ack c:2']);
    expect(errors).toHaveLength(1);
    expect(errors[0]![0]).toMatchObject({ type: 'entry.added', conversationId: 'c' });
  });
});
