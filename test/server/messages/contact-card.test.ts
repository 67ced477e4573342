import { describe, expect, it } from 'vitest';
import type { User } from '../../../src/protocol/index.js';
import { CommandError } from '../../../src/server/errors.js';
import { decideContactCard } from '../../../src/server/messages/contact-card.js';

const carol: User = { id: 'carol', name: 'Carol', avatar: 'https://example.com/carol.png' };
const codeOf = (run: () => unknown): string => {
  try {
    run();
    return 'allowed';
  } catch (error) {
    return (error as CommandError).code;
  }
};

describe('a shared contact', () => {
  it('shows the profile the server has, not more', () => {
    expect(decideContactCard('carol', { ...carol, bot: true }, false)).toEqual({
      type: 'contact',
      user: { id: 'carol', name: 'Carol', avatar: 'https://example.com/carol.png' },
    });
  });

  it('is refused for an unknown user or a support visitor, as if they did not exist', () => {
    expect(codeOf(() => decideContactCard('zed', undefined, false))).toBe('not_found');
    expect(codeOf(() => decideContactCard('carol', carol, true))).toBe('not_found');
    expect(codeOf(() => decideContactCard('carol', { ...carol, id: 'someone-else' }, false))).toBe('not_found');
  });

  it('is refused for a deleted user', () => {
    expect(codeOf(() => decideContactCard('carol', { ...carol, deleted: true }, false))).toBe('user_deleted');
  });
});
