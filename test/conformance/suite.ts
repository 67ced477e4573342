/**
 * The protocol conformance suite: drives a server through the documented events as real
 * socket.io clients and reports, check by check, what conforms. It talks to the server
 * only over the wire, so it validates any implementation of src/protocol/README.md.
 */
import { randomBytes } from 'node:crypto';
import { CheckFailure, connect, type Connection } from './connection.js';
import { groupChecks } from './checks/groups.js';
import { handshakeChecks } from './checks/handshake.js';
import { messagingChecks } from './checks/messaging.js';
import type { TokenSource } from './tokens.js';

export interface CheckContext {
  url: string;
  tokens: TokenSource;
  /** A user id of this check in this run: checks and runs against one server never meet. */
  userId(name: string): string;
  /** Connected and greeted; closed after the check. */
  connect(name: string): Promise<Connection>;
  /** A fresh idempotency key. */
  clientId(): string;
}

export interface Check {
  /** `section: what is checked`, as the report prints it. */
  name: string;
  run(context: CheckContext): Promise<void>;
}

export interface CheckResult {
  name: string;
  passed: boolean;
  /** Why it failed. */
  reason?: string;
  durationMs: number;
}

export interface ConformanceOptions {
  url: string;
  tokens: TokenSource;
  /** Only the checks whose name contains this. */
  only?: string;
  onResult?: (result: CheckResult) => void;
}

export const allChecks: readonly Check[] = [...handshakeChecks, ...messagingChecks, ...groupChecks];

export async function runConformance(options: ConformanceOptions): Promise<CheckResult[]> {
  const run = randomBytes(4).toString('hex');
  const results: CheckResult[] = [];
  let clientIds = 0;
  const checks = allChecks.filter((candidate) => !options.only || candidate.name.includes(options.only));
  for (const [index, check] of checks.entries()) {
    const opened: Connection[] = [];
    const context: CheckContext = {
      url: options.url,
      tokens: options.tokens,
      userId: (name) => `conf-${run}-${index}-${name}`,
      connect: async (name) => {
        const sub = context.userId(name);
        const connection = await connect(options.url, await options.tokens.mint({ sub, name: `${name} ${run}`, expiresIn: 600 }));
        opened.push(connection);
        return connection;
      },
      clientId: () => `conf-${run}-${++clientIds}`,
    };
    const started = performance.now();
    let result: CheckResult;
    try {
      await check.run(context);
      const problems = opened.flatMap((connection) => connection.problems);
      if (problems.length > 0) throw new CheckFailure(problems[0]!);
      result = { name: check.name, passed: true, durationMs: performance.now() - started };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      result = { name: check.name, passed: false, reason, durationMs: performance.now() - started };
    } finally {
      for (const connection of opened) connection.close();
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}
