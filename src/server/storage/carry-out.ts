/**
 * The order every decided command follows in a backend, inside the one transaction it
 * runs in: load what the rule needs to see, decide, apply the writes. A refusal throws
 * (see `settle`), so the transaction rolls back. SQLite's transactions are synchronous,
 * PostgreSQL's are not: one helper each, the same steps.
 */
import { settle, type Decision } from '../decision.js';

export interface Steps<Snapshot, Write, Outcome, Result> {
  load(): Snapshot;
  decide(snapshot: Snapshot): Decision<Write, Outcome>;
  apply(writes: Write[], outcome: Outcome): Result;
}

export function carryOut<Snapshot, Write, Outcome, Result>(steps: Steps<Snapshot, Write, Outcome, Result>): Result {
  const { writes, result } = settle(steps.decide(steps.load()));
  return steps.apply(writes, result);
}

export async function carryOutAsync<Snapshot, Write, Outcome, Result>(steps: {
  load(): Promise<Snapshot>;
  decide(snapshot: Snapshot): Decision<Write, Outcome>;
  apply(writes: Write[], outcome: Outcome): Promise<Result>;
}): Promise<Result> {
  const { writes, result } = settle(steps.decide(await steps.load()));
  return steps.apply(writes, result);
}
