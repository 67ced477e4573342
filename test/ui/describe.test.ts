import { expect } from '@open-wc/testing';
import type { SystemEvent } from '../../src/protocol/index.js';
import { describeEvent } from '../../src/ui/describe.js';
import { Translator } from '../../src/ui/i18n/index.js';

const names: Record<string, string> = { alice: 'Alice', bob: 'Bob' };
const nameOf = (id: string) => names[id] ?? id;

/** An event as the user `me` reads it in the timeline. */
function read(lang: 'en' | 'zh-CN', actor: string, event: SystemEvent, me = 'me'): string {
  return describeEvent(actor, event, new Translator(lang), nameOf, me);
}

describe('system events in words', () => {
  // Chinese strings load on demand; English ones come with the widget.
  before(() => Translator.load('zh-CN'));

  it('call the user "you" mid-sentence and "You" at its start', () => {
    expect(read('en', 'alice', { kind: 'members.added', userIds: ['me'] })).to.equal('Alice added you');
    expect(read('en', 'alice', { kind: 'members.added', userIds: ['bob', 'me'] })).to.equal('Alice added Bob and you');
    expect(read('en', 'me', { kind: 'members.added', userIds: ['bob'] })).to.equal('You added Bob');
    expect(read('en', 'alice', { kind: 'member.removed', userId: 'me' })).to.equal('Alice removed you');
    expect(read('en', 'me', { kind: 'member.left', userId: 'me' })).to.equal('You left');
    expect(read('en', 'bob', { kind: 'member.joined', userId: 'bob', approvedBy: 'me' })).to.equal(
      'Bob joined, approved by you',
    );
  });

  it('read the same in Chinese, which has one word for both', () => {
    expect(read('zh-CN', 'alice', { kind: 'members.added', userIds: ['me'] })).to.equal('Alice 邀请 你 加入了群聊');
    expect(read('zh-CN', 'me', { kind: 'members.added', userIds: ['bob'] })).to.equal('你 邀请 Bob 加入了群聊');
  });
});
