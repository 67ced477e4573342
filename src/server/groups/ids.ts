import { randomBytes } from 'node:crypto';

/** A new group's id: "g_" and 128 random bits, so that ids reveal nothing and never collide. */
export function newGroupId(): string {
  return `g_${randomBytes(16).toString('base64url')}`;
}

/** The secret part of an invite link: 24 random bytes (192 bits), 32 base64url characters. */
export function newInviteCode(): string {
  return randomBytes(24).toString('base64url');
}

/** A system event's clientId, server-made and valid: "sys_" and 22 random base64url characters. */
export function systemClientId(): string {
  return `sys_${randomBytes(16).toString('base64url')}`;
}

/** A new support conversation's id: "t_" and 128 random bits. */
export function newSupportConversationId(): string {
  return `t_${randomBytes(16).toString('base64url')}`;
}
