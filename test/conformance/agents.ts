/** How the suite gets support agents (section 14) on the server under test. */
import { request } from './connection.js';

export interface AgentSource {
  /** Gives this user (made if need be) the agent role. */
  grant(userId: string, name: string): Promise<void>;
}

/** Through the admin API (`PUT /api/admin/v1/users/{id}` with `roles: ['agent']`) and one of its keys. */
export function adminApiAgents(url: string, apiKey: string): AgentSource {
  return {
    async grant(userId, name) {
      const response = await request(new URL(`/api/admin/v1/users/${encodeURIComponent(userId)}`, url), {
        method: 'PUT',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name, roles: ['agent'] }),
      });
      if (!response.ok) throw new Error(`the admin API did not make ${userId} an agent: ${response.status} ${await response.text()}`);
    },
  };
}
