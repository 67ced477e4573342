/**
 * The protocol conformance suite: drives a server through the documented events as real
 * socket.io clients and reports, check by check, what conforms. It talks to the server
 * only over the wire, so it validates any implementation of src/protocol/README.md.
 */
import { randomBytes } from 'node:crypto';
import { CheckFailure, connect, type Connection } from './connection.js';
import { awarenessChecks } from './checks/awareness.js';
import { cardsAndAnnouncementsChecks } from './checks/cards-and-announcements.js';
import { blockingChecks } from './checks/blocking.js';
import { groupAdminChecks } from './checks/group-admin.js';
import { groupChecks } from './checks/groups.js';
import { handshakeChecks } from './checks/handshake.js';
import { historyChecks } from './checks/histories.js';
import { messagingChecks } from './checks/messaging.js';
import { supportChecks } from './checks/support.js';
import type { AgentSource } from './agents.js';
import type { TokenSource } from './tokens.js';

export interface CheckContext {
  url: string;
  tokens: TokenSource;
  /** A user id of this check in this run: checks and runs against one server never meet. */
  userId(name: string): string;
  /** Connected and greeted; closed after the check. */
  connect(name: string): Promise<Connection>;
  /** A token for this check's user of this name (for HTTP requests). */
  token(name: string): Promise<string>;
  /** Connected as a user of this name who has the agent role (support, section 14). */
  connectAgent(name: string): Promise<Connection>;
  /** Connected with a token: one of a visitor (section 14.1), for instance. */
  connectWith(token: string): Promise<Connection>;
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
  /** The commands it sent and the server events it received. */
  commands: string[];
  events: string[];
}

export interface ConformanceOptions {
  url: string;
  tokens: TokenSource;
  /** How users get the agent role on this server; the support agents' checks fail without it. */
  agents?: AgentSource;
  /** Only the checks whose name contains this. */
  only?: string;
  onResult?: (result: CheckResult) => void;
}

export const allChecks: readonly Check[] = [
  ...handshakeChecks,
  ...messagingChecks,
  ...groupChecks,
  ...groupAdminChecks,
  ...cardsAndAnnouncementsChecks,
  ...historyChecks,
  ...awarenessChecks,
  ...blockingChecks,
  ...supportChecks,
];

export async function runConformance(options: ConformanceOptions): Promise<CheckResult[]> {
  const run = randomBytes(4).toString('hex');
  const results: CheckResult[] = [];
  let clientIds = 0;
  const checks = allChecks.filter((candidate) => !options.only || candidate.name.includes(options.only));
  for (const [index, check] of checks.entries()) {
    const opened: Connection[] = [];
    const connectWith = async (token: string) => {
      const connection = await connect(options.url, token);
      opened.push(connection);
      return connection;
    };
    const context: CheckContext = {
      url: options.url,
      tokens: options.tokens,
      userId: (name) => `conf-${run}-${index}-${name}`,
      token: (name) => options.tokens.mint({ sub: context.userId(name), name: `${name} ${run}`, expiresIn: 600 }),
      connect: async (name) => connectWith(await context.token(name)),
      connectAgent: async (name) => {
        if (!options.agents) throw new CheckFailure('needs a way to make agents (--admin-key)');
        await options.agents.grant(context.userId(name), `${name} ${run}`);
        return context.connect(name);
      },
      connectWith,
      clientId: () => `conf-${run}-${++clientIds}`,
    };
    const started = performance.now();
    const exercised = () => ({
      commands: [...new Set(opened.flatMap((connection) => [...connection.commandsSent]))].sort(),
      events: [...new Set(opened.flatMap((connection) => connection.events.map((event) => event.name)))].sort(),
    });
    let result: CheckResult;
    try {
      await check.run(context);
      const problems = opened.flatMap((connection) => connection.problems);
      if (problems.length > 0) throw new CheckFailure(problems[0]!);
      result = { name: check.name, passed: true, durationMs: performance.now() - started, ...exercised() };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      result = { name: check.name, passed: false, reason, durationMs: performance.now() - started, ...exercised() };
    } finally {
      for (const connection of opened) connection.close();
    }
    results.push(result);
    options.onResult?.(result);
  }
  return results;
}
