/**
 * The socket.io rooms the fan-out delivers through. Only the fan-out names them: the rest
 * of the server says who an event is for (a user, a conversation's members, the agents).
 */

/** Every connection of a user. */
export const userRoom = (userId: string): string => `user:${userId}`;
/** Every connection of a conversation's members. */
export const conversationRoom = (conversationId: string): string => `conv:${conversationId}`;
/** Every connection of a support agent. */
export const agentsRoom = 'support:agents';
/** Connections of customers who asked how support is available, to hear when that changes. */
export const customersRoom = 'support:customers';

const presenceRoomPrefix = 'presence:';

/** The room of the connections that watch a user's presence. */
export const presenceRoom = (userId: string): string => `${presenceRoomPrefix}${userId}`;

export function isPresenceRoom(room: string): boolean {
  return room.startsWith(presenceRoomPrefix);
}
