import { Accounts } from '../accounts/accounts.js';
import type { DomainDeps } from './deps.js';
import { Groups } from '../groups/groups.js';
import { Conversations } from '../conversations/conversations.js';
import { Messaging } from '../messages/messaging.js';
import { ReadState } from '../reads/read-state.js';
import { Timeline, type TimelineDeps } from './timeline.js';

export interface Domain {
  deps: DomainDeps;
  timeline: Timeline;
  messaging: Messaging;
  conversations: Conversations;
  reads: ReadState;
  groups: Groups;
  accounts: Accounts;
}

/** The services socket commands and the admin API share, wired once per server. */
export function createDomain(deps: Omit<DomainDeps, 'timeline'> & Pick<TimelineDeps, 'push' | 'support' | 'background'>): Domain {
  const timeline = new Timeline(deps);
  const domainDeps: DomainDeps = { ...deps, timeline };
  const groups = new Groups(domainDeps);
  return {
    deps: domainDeps,
    timeline,
    messaging: new Messaging(domainDeps),
    conversations: new Conversations(domainDeps),
    reads: new ReadState(domainDeps),
    groups,
    accounts: new Accounts(domainDeps, groups),
  };
}
