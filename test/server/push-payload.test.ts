import { describe, expect, it } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import { pushNotificationOf } from '../../src/server/push/push-payload.js';

const message = (text: string): Message => ({
  id: 'm1', conversationId: 'c1', seq: 4, senderId: 'alice', clientId: 'k1', createdAt: 1, body: { type: 'text', text },
});

describe('the push of a text message', () => {
  it('shows the words without their marks, on one line', () => {
    const push = pushNotificationOf(message('**Deploy** _now_:\n```sh\nnpm   run build\n```'), { senderName: 'Alice', groupName: 'Ops' });
    expect(push?.body).toBe('Alice: Deploy now: npm run build');
  });
});
