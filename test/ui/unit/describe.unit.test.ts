import { describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../../src/protocol/index.js';
import { describePresence } from '../../../src/ui/controllers/presence-controller.js';
import { describeEvent, previewOf } from '../../../src/ui/describe.js';
import { Translator } from '../../../src/ui/i18n/index.js';
import ko from '../../../src/ui/i18n/ko.js';

// Bidi isolation marks around names are not what these tests are about.
const plain = (text: string) => text.replace(/[\u2068\u2069]/g, '');
const names: Record<string, string> = { me: 'Kim', alice: 'Alice', bob: 'Bob', carol: 'Carol' };
const nameOf = (id: string) => names[id] ?? id;

async function sentence(lang: string, actorId: string, event: SystemEvent): Promise<string> {
  return plain(describeEvent(actorId, event, await Translator.load(lang), nameOf, 'me'));
}

describe('event sentences with the user in them', () => {
  it('conjugate the verb for the user where the language needs it', async () => {
    const created: SystemEvent = { kind: 'group.created', name: 'Team' };
    expect(await sentence('en', 'me', created)).toBe('You created the group “Team”');
    expect(await sentence('de', 'me', created)).toBe('Du hast die Gruppe „Team“ erstellt');
    expect(await sentence('es', 'me', created)).toBe('Creaste el grupo «Team»');
    expect(await sentence('fr', 'me', created)).toBe('Vous avez créé le groupe « Team »');
    expect(await sentence('ru', 'me', created)).toBe('Вы создали группу «Team»');
    expect(await sentence('ar', 'me', created)).toBe('أنشأت المجموعة «Team»');
    expect(await sentence('he', 'me', created)).toBe('יצרת את הקבוצה ״Team״');
    // Someone else keeps the third person.
    expect(await sentence('de', 'alice', created)).toBe('Alice hat die Gruppe „Team“ erstellt');
    expect(await sentence('ru', 'alice', created)).toBe('Alice создал(а) группу «Team»');
  });

  it('put the user where the language puts a pronoun, and keep a single form where it reads right', async () => {
    const removed: SystemEvent = { kind: 'member.removed', userId: 'me' };
    expect(await sentence('en', 'alice', removed)).toBe('Alice removed you');
    expect(await sentence('fr', 'alice', removed)).toBe('Alice vous a retiré');
    expect(await sentence('es', 'alice', removed)).toBe('Alice te eliminó');
    expect(await sentence('ar', 'alice', removed)).toBe('أزالك Alice');
    expect(await sentence('ru', 'alice', removed)).toBe('Alice удалил(а) вас');
    const addedMe: SystemEvent = { kind: 'members.added', userIds: ['me'] };
    expect(await sentence('fr', 'alice', addedMe)).toBe('Alice vous a ajouté');
    expect(await sentence('es', 'alice', addedMe)).toBe('Alice te añadió');
    expect(await sentence('de', 'alice', addedMe)).toBe('Alice hat dich hinzugefügt');
    expect(await sentence('fr', 'alice', { kind: 'members.added', userIds: ['bob'] })).toBe('Alice a ajouté Bob');
    expect(await sentence('ja', 'me', { kind: 'member.removed', userId: 'bob' })).toContain('あなた');
    expect(await sentence('de', 'alice', { kind: 'member.muted', userId: 'me', muted: false })).toBe(
      'Alice hat deine Stummschaltung aufgehoben',
    );
  });

  it('say "you" among several people added as each language does, not as a name in the list', async () => {
    const added = (...userIds: string[]): SystemEvent => ({ kind: 'members.added', userIds });
    expect(await sentence('en', 'alice', added('bob', 'me'))).toBe('Alice added Bob and you');
    expect(await sentence('de', 'alice', added('me', 'bob'))).toBe('Alice hat dich und Bob hinzugefügt');
    expect(await sentence('fr', 'alice', added('me', 'bob'))).toBe('Alice vous a ajouté, ainsi que Bob');
    expect(await sentence('fr', 'alice', added('bob', 'me', 'carol'))).toBe('Alice vous a ajouté, ainsi que Bob et Carol');
    expect(await sentence('es', 'alice', added('bob', 'me'))).toBe('Alice te añadió junto con Bob');
    expect(await sentence('es', 'alice', added('me', 'bob', 'carol'))).toBe('Alice te añadió junto con Bob y Carol');
    expect(await sentence('ar', 'alice', added('me', 'bob'))).toBe('أضافك Alice مع Bob');
    expect(await sentence('ar', 'alice', added('bob', 'me', 'carol'))).toBe('أضافك Alice مع Bob وCarol');
    expect(await sentence('he', 'alice', added('me', 'bob'))).toBe('Alice הוסיף/ה אותך ואת Bob');
    expect(await sentence('ko', 'alice', added('bob', 'me'))).toBe('Alice님이 나와 Bob님을 추가했습니다');
    // Without the user the list reads as before; the user alone is the pronoun.
    expect(await sentence('fr', 'alice', added('bob', 'carol'))).toBe('Alice a ajouté Bob et Carol');
    expect(await sentence('es', 'alice', added('me'))).toBe('Alice te añadió');
    expect(await sentence('he', 'alice', added('me'))).toBe('Alice הוסיף/ה אותך');
  });

  it('call the user 나 in Korean, with the particle the sentence needs', async () => {
    expect(await sentence('ko', 'me', { kind: 'group.created', name: 'Team' })).toBe('내가 “Team” 그룹을 만들었습니다');
    expect(await sentence('ko', 'alice', { kind: 'members.added', userIds: ['me'] })).toBe('Alice님이 나를 추가했습니다');
    expect(await sentence('ko', 'me', { kind: 'members.added', userIds: ['bob'] })).toBe('내가 Bob님을 추가했습니다');
    expect(await sentence('ko', 'alice', { kind: 'member.removed', userId: 'me' })).toBe('Alice님이 나를 내보냈습니다');
    expect(await sentence('ko', 'me', { kind: 'member.removed', userId: 'bob' })).toBe('내가 Bob님을 내보냈습니다');
    expect(await sentence('ko', 'alice', { kind: 'member.muted', userId: 'me', muted: true })).toBe('Alice님이 내 채팅을 제한했습니다');
    expect(await sentence('ko', 'me', { kind: 'member.left', userId: 'me' })).toBe('내가 나갔습니다');
    expect(await sentence('ko', 'bob', { kind: 'member.joined', userId: 'bob', approvedBy: 'me' })).toBe('Bob님이 참여했습니다(내가 승인)');
    // 회원 ("member") is not how Korean says "you".
    expect(Object.entries(ko).filter(([, message]) => message.includes('회원'))).toEqual([]);
  });

  it('know who is who when someone joins with approval', async () => {
    const joined = (userId: string, approvedBy: string): SystemEvent => ({ kind: 'member.joined', userId, approvedBy });
    expect(await sentence('de', 'me', joined('me', 'alice'))).toBe('Du bist beigetreten, bestätigt von Alice');
    expect(await sentence('de', 'bob', joined('bob', 'me'))).toBe('Bob ist beigetreten, von dir bestätigt');
    expect(await sentence('ru', 'bob', joined('bob', 'me'))).toBe('Вы приняли Bob в группу');
    expect(await sentence('es', 'me', { kind: 'member.left', userId: 'me' })).toBe('Saliste del grupo');
  });
});

describe('last seen', () => {
  const minute = 60_000;
  const now = Date.UTC(2026, 5, 10, 12);

  it('says how long ago in the language of the widget', async () => {
    const seen = (lang: string, ago: number) =>
      Translator.load(lang).then((t) => describePresence({ userId: 'bob', online: false, lastSeenAt: now - ago }, t, now));
    expect(await seen('en', 5 * minute)).toBe('Last seen 5 minutes ago');
    expect(await seen('de', 2 * 60 * minute)).toBe('Zuletzt online vor 2 Stunden');
    expect(await seen('fr', 24 * 60 * minute)).toContain('hier');
  });

  it('keeps its own order in a widget shown the other way', async () => {
    await Translator.load('en');
    const t = Translator.loaded('en', { dir: 'rtl' })!;
    expect(t.relativeTime(-5, 'minute')).toBe('\u20685 minutes ago\u2069');
  });
});

describe('contact cards in words', () => {
  it('say [Contact] and the name in previews and quotes, in the user’s language', async () => {
    const { previewOf, quoteText } = await import('../../../src/ui/describe.js');
    const card = {
      id: 'm1',
      conversationId: 'c1',
      seq: 4,
      senderId: 'alice',
      clientId: 'client-0001',
      createdAt: 1,
      body: { type: 'contact' as const, user: { id: 'carol', name: 'Carol', avatar: null } },
    };
    const en = await Translator.load('en');
    expect(plain(previewOf(card, { t: en, nameOf, me: 'me', group: false }))).toBe('[Contact] Carol');
    expect(plain(previewOf(card, { t: en, nameOf, me: 'me', group: true }))).toBe('Alice: [Contact] Carol');
    const zh = await Translator.load('zh-CN');
    expect(plain(previewOf(card, { t: zh, nameOf, me: 'me', group: false }))).toBe('[名片] Carol');
    const quote = { seq: 4, senderId: 'alice', type: 'contact' as const, excerpt: 'Carol' };
    expect(plain(quoteText(quote, await Translator.load('de')))).toBe('[Kontakt] Carol');
  });
});

describe('previews of formatted texts', () => {
  it('show the first line of the words, without their marks', async () => {
    const t = await Translator.load('en');
    const message = (text: string, senderId = 'alice') => ({
      id: 'm', conversationId: 'g', seq: 1, senderId, clientId: 'k', createdAt: 1, body: { type: 'text' as const, text },
    });
    const context = { t, nameOf, me: 'me', group: true };
    expect(previewOf(message('**Release** is _out_ ~~soon~~ `now`\nmore'), context)).toBe('Alice: Release is out soon now');
    expect(previewOf(message('```ts\nconst a = 1;\n```'), context)).toBe('Alice: const a = 1;');
    expect(previewOf(message('> quoted *words*'), context)).toBe('Alice: quoted words');
    expect(plain(previewOf(message('- **one**', 'me'), context))).toBe('You: • one');
  });
});
