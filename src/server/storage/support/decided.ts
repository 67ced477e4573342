/**
 * The order of every support change, on either backend: load the snapshot, decide, apply
 * each write in order (a refusal throws, so the transaction rolls back). The events the
 * writes recorded come back with the decision's result, in seq order.
 */
import type { Message } from '../../../protocol/index.js';
import type { Decision } from '../../decision.js';
import { carryOut, carryOutAsync } from '../carry-out.js';
import type { SupportWrite } from '../../support/case-decisions.js';

export interface Decided<Result> {
  result: Result;
  events: Message[];
}

/** For SQLite, inside its synchronous transaction. */
export function decideNow<Snapshot, Result>(
  snapshot: Snapshot,
  decide: (snapshot: Snapshot) => Decision<SupportWrite, Result>,
  apply: (write: SupportWrite) => Message | void,
): Decided<Result> {
  return carryOut({
    load: () => snapshot,
    decide,
    apply: (writes, result) => ({
      result,
      events: writes.map(apply).filter((event): event is Message => event !== undefined),
    }),
  });
}

/** For PostgreSQL: the snapshot is loaded first (with its row locks), writes go one after another. */
export async function decideThen<Snapshot, Result>(
  snapshot: Promise<Snapshot>,
  decide: (snapshot: Snapshot) => Decision<SupportWrite, Result>,
  apply: (write: SupportWrite) => Promise<Message | void>,
): Promise<Decided<Result>> {
  return carryOutAsync({
    load: () => snapshot,
    decide,
    apply: async (writes, result) => {
      const events: Message[] = [];
      for (const write of writes) {
        const event = await apply(write);
        if (event) events.push(event);
      }
      return { result, events };
    },
  });
}
