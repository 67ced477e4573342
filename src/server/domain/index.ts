import { Accounts } from '../accounts/accounts.js';
import { Blocks } from '../accounts/blocks.js';
import type { DomainDeps } from './deps.js';
import { Groups } from '../groups/groups.js';
import { Conversations } from '../conversations/conversations.js';
import { Messaging } from '../messages/messaging.js';
import { VoicePlays } from '../messages/voice-plays.js';
import { ReadState } from '../reads/read-state.js';

export interface Domain {
  deps: DomainDeps;
  messaging: Messaging;
  voicePlays: VoicePlays;
  conversations: Conversations;
  reads: ReadState;
  groups: Groups;
  accounts: Accounts;
  blocks: Blocks;
}

/** The services socket commands and the admin API share, wired once per server. */
export function createDomain(deps: DomainDeps): Domain {
  const groups = new Groups(deps);
  const blocks = new Blocks(deps);
  return {
    deps,
    messaging: new Messaging(deps),
    voicePlays: new VoicePlays(deps),
    conversations: new Conversations(deps, blocks),
    reads: new ReadState(deps),
    groups,
    accounts: new Accounts(deps, groups),
    blocks,
  };
}
