import type { OutgoingBody, TextBody } from '../../protocol/index.js';
import { unreachable } from '../accounts/block-decisions.js';
import { CommandError } from '../errors.js';
import type { CachedConversation, CachedMember } from '../membership.js';
import { isManager } from './model.js';

/**
 * Decides from memory whether this member may post this body, and returns the body to
 * store: mentions are kept only for active members (without an error), once each. A
 * single chat with a block between its two members takes nothing new from either, with
 * the same neutral refusal both ways.
 */
export function authorizePost<B extends OutgoingBody>(
  conversation: CachedConversation,
  member: CachedMember,
  body: B,
): B {
  if (conversation.dismissed) throw new CommandError('group_dismissed', 'the group was dismissed');
  const isGroup = conversation.type === 'group';
  if (isGroup && (member.muted || (conversation.mutedAll && member.role === 'member'))) {
    throw new CommandError('muted', 'you may not post in this group now');
  }
  if (conversation.blocked) throw unreachable();
  return body.type === 'text' ? (authorizeMentions(conversation, member, body) as B) : body;
}

/** `@all` only from a group's owner and admins; mentions of non-members are dropped. */
export function authorizeMentions(
  conversation: CachedConversation,
  member: CachedMember,
  body: TextBody,
): TextBody {
  if (body.mentionAll && !(conversation.type === 'group' && isManager(member.role))) {
    throw new CommandError('forbidden', 'only the owner and admins may mention everyone');
  }
  if (!body.mentions) return body;
  const mentions = [...new Set(body.mentions)].filter((id) => conversation.members.has(id));
  return { ...body, mentions };
}
