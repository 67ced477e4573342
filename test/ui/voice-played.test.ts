import { expect, fixtureCleanup } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ImMessagePane } from '../../src/ui/im-message-pane/im-message-pane.js';
import { throttledServerUrl, waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, inShadow, mount, screenshotAlone, type Widget } from '../support/browser/widget.js';

/** A WAV of a tone, `ms` long: every engine decodes it, and the server reads its length. */
function toneWav(ms: number): Blob {
  const rate = 8_000;
  const samples = Math.round((rate * ms) / 1000);
  const data = new DataView(new ArrayBuffer(44 + samples * 2));
  const ascii = (at: number, text: string) => [...text].forEach((char, i) => data.setUint8(at + i, char.charCodeAt(0)));
  ascii(0, 'RIFF');
  data.setUint32(4, 36 + samples * 2, true);
  ascii(8, 'WAVEfmt ');
  data.setUint32(16, 16, true);
  data.setUint16(20, 1, true);
  data.setUint16(22, 1, true);
  data.setUint32(24, rate, true);
  data.setUint32(28, rate * 2, true);
  data.setUint16(32, 2, true);
  data.setUint16(34, 16, true);
  ascii(36, 'data');
  data.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) data.setInt16(44 + i * 2, Math.round(Math.sin((i / rate) * 2 * Math.PI * 440) * 8_000), true);
  return new Blob([data.buffer], { type: 'audio/wav' });
}

/** The widget's voice message; the widget is scrolled into view first, as the list draws only the rows on screen. */
const player = (widget: Widget) => {
  widget.element.scrollIntoView({ block: 'nearest' });
  return widget.messageList()?.shadowRoot?.querySelector('im-voice-message') ?? null;
};
const part = (widget: Widget, name: string) => {
  const found = player(widget);
  return found ? inShadow(found, `[part="${name}"]`) : null;
};
const unplayedDot = (widget: Widget) => part(widget, 'voice-unplayed');
const label = (element: Element | null) => element?.getAttribute('aria-label') ?? null;

/** The widget alone in the viewport, as its user sees it, at each size. */
const shoot = (widget: Widget, others: Widget[], name: string) =>
  screenshotAlone(widget, others, `voice-played-${name}`, [
    { width: 1280, height: 800, name: 'wide' },
    { width: 390, height: 844, name: 'phone' },
  ]);

describe('played voice messages', () => {
  afterEach(() => fixtureCleanup());

  it("shows Bob the unplayed dot until he plays it, on his other device too, and Alice that he played it", async function () {
    this.timeout(120_000);
    const { alice, bob, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    const conversationId = inShadow<ImMessagePane>(alice.element, 'im-message-pane')!.conversationId;
    // Bob's tablet: its own cache (another address of the same server), its own connection.
    const tablet = await mount(bob.element.chatClient!.user!.id, names.bob, { server: await throttledServerUrl(50_000_000) });

    await alice.element.chatClient!.files.sendVoice(conversationId, toneWav(1_500), { duration: 1_500, waveform: [20, 80, 100, 40, 10] });
    const aliceMark = await waitFor(() => part(alice, 'voice-played'), "Alice's voice message to be sent");
    await waitFor(() => label(part(alice, 'voice-played')) === 'Not played yet', 'Alice to see it not played yet');
    expect(aliceMark.classList.contains('yes')).to.equal(false);

    await bob.openConversation(names.alice);
    await tablet.openConversation(names.alice);
    for (const [device, name] of [[bob, 'phone'], [tablet, 'tablet']] as const) {
      await waitFor(() => player(device), `the voice message on Bob's ${name}`, 30_000);
      const dot = await waitFor(() => unplayedDot(device), `the unplayed dot on Bob's ${name}`, 30_000);
      expect(dot.getAttribute('role')).to.equal('img');
      expect(label(dot)).to.equal('Not played yet');
    }
    await expect(bob.element).to.be.accessible();
    await shoot(bob, [alice, tablet], 'recipient-unplayed');

    // Bob plays it from the keyboard: the dot goes here at once, then on the tablet.
    const play = await waitFor(() => part(bob, 'voice-play') as HTMLButtonElement | null, 'the play button');
    play.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => label(play) === 'Pause voice message', 'it to play', 10_000);
    await waitFor(() => !unplayedDot(bob), 'the dot to go on the phone');
    await waitFor(() => !unplayedDot(tablet), 'the dot to go on the tablet');

    // Alice sees that it was played.
    await waitFor(() => label(part(alice, 'voice-played')) === 'Played', 'Alice to see it played');
    expect(part(alice, 'voice-played')!.classList.contains('yes')).to.equal(true);
    await expect(alice.element).to.be.accessible();
    await shoot(alice, [bob, tablet], 'sender-played');

    // A reload of the tablet (its cache) keeps it played; so does the server's history.
    const [message] = (await tablet.element.chatClient!.cache!.timeline(conversationId, 1)).filter((entry) => entry.body.type === 'voice');
    expect(message!.played).to.equal(true);
    const [own] = (await alice.element.chatClient!.cache!.timeline(conversationId, 1)).filter((entry) => entry.body.type === 'voice');
    expect(own!.playedCount).to.equal(1);
  });
  it('asks for a fresh link when the one it holds no longer gives the file, and plays with it', async function () {
    this.timeout(120_000);
    const { alice, bob, names } = await alicePlusBob();
    await alice.startChatWith(names.bob);
    const conversationId = inShadow<ImMessagePane>(alice.element, 'im-message-pane')!.conversationId;
    // Bob's first link to the file carries an access the server refuses, as it refuses one
    // that ran out; the links after it are the client's own.
    const files = bob.element.chatClient!.files;
    const realUrl = files.url.bind(files);
    const links: string[] = [];
    files.url = async (...args) => {
      const url = new URL(await realUrl(...args));
      if (links.length === 0) url.searchParams.set('access', `${url.searchParams.get('access')!.slice(0, -4)}AAAA`);
      links.push(url.href);
      return url.href;
    };

    await alice.element.chatClient!.files.sendVoice(conversationId, toneWav(4_000), { duration: 4_000, waveform: [20, 80, 100, 40, 10] });
    await bob.openConversation(names.alice);
    const play = await waitFor(() => part(bob, 'voice-play') as HTMLButtonElement | null, "Bob's play button", 30_000);
    await waitFor(() => links.length === 1, 'the first link');
    play.focus();
    await sendKeys({ press: 'Enter' });
    // Refused: a play button again, a fresh link asked for at once, and nothing played.
    await waitFor(() => links.length === 2, 'a fresh link', 10_000);
    await waitFor(() => label(play)!.startsWith('Play voice message'), 'a play button again');
    expect(unplayedDot(bob)).to.not.equal(null);

    await sendKeys({ press: 'Enter' });
    await waitFor(() => label(play) === 'Pause voice message', 'it to play with the fresh link', 10_000);
    await waitFor(() => !unplayedDot(bob), 'the dot to go');
    // The refused audio's own late events leave the playing one's button as it is.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(label(play)).to.equal('Pause voice message');
    expect(links.length).to.equal(2);
  });

  it('shows the sender in a group how many played it, and who, from the mark', async function () {
    this.timeout(120_000);
    const { alice, bob, names } = await alicePlusBob();
    const bobId = bob.element.chatClient!.user!.id;
    const group = await alice.element.chatClient!.groups.create({ name: 'Band', memberIds: [bobId] });
    alice.element.openConversation(group);
    await alice.element.chatClient!.files.sendVoice(group, toneWav(1_000), { duration: 1_000, waveform: [30, 90, 50] });
    await waitFor(() => player(alice), "Alice's voice message", 30_000);
    // Nobody played it yet: no mark at all in a group.
    expect(part(alice, 'voice-played')).to.equal(null);

    await bob.openConversation('Band');
    const play = await waitFor(() => part(bob, 'voice-play') as HTMLButtonElement | null, "Bob's play button", 30_000);
    // A real key press: sound starts only from the user's own input (a script's click()
    // counted only while an earlier test's press was recent).
    play.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => !unplayedDot(bob), 'the dot to go for Bob');

    const mark = await waitFor(() => part(alice, 'voice-played') as HTMLButtonElement | null, '"Played by 1" for Alice', 30_000);
    expect(mark.textContent!.trim()).to.equal('Played by 1');
    mark.click();
    const list = await waitFor(() => (part(alice, 'voice-players')?.tagName === 'UL' ? part(alice, 'voice-players') : null), 'who played it');
    expect([...list.querySelectorAll('li')].map((item) => item.textContent!.trim())).to.deep.equal([names.bob]);
    expect(mark.getAttribute('aria-expanded')).to.equal('true');
    await expect(alice.element).to.be.accessible();
    await shoot(alice, [bob], 'group-players');
  });
});
