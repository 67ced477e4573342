import { createHash } from 'node:crypto';

/**
 * The id of the single chat between two users. Derived from the pair, so both sides get
 * the same conversation whoever starts it, and concurrent starts cannot create two.
 * 22 base64url characters of SHA-256 keep ~128 bits: collisions are not a concern.
 */
export function singleConversationId(userA: string, userB: string): string {
  const [first, second] = [userA, userB].sort();
  const digest = createHash('sha256').update(`${first}\n${second}`).digest('base64url');
  return `s_${digest.slice(0, 22)}`;
}
