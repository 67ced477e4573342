/**
 * The order every decided command follows in a backend, inside the one transaction it
 * runs in: load what the rule needs to see, decide, apply the writes. A refusal throws
 * (see `settle`), so the transaction rolls back.
 */
import { settle, type Decision } from '../decision.js';

export async function carryOut<Snapshot, Write, Outcome, Result>(steps: {
  load(): Promise<Snapshot>;
  decide(snapshot: Snapshot): Decision<Write, Outcome>;
  apply(writes: Write[], outcome: Outcome): Promise<Result>;
}): Promise<Result> {
  const { writes, result } = settle(steps.decide(await steps.load()));
  return steps.apply(writes, result);
}
