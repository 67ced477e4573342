import { expect, fixtureCleanup } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatClient, TimelineEntry } from '../../src/client/index.js';
import type { VoiceBody } from '../../src/protocol/index.js';
import type { ImMessagePane } from '../../src/ui/im-message-pane/im-message-pane.js';
import { timeline } from '../support/browser/chat-clients.js';
import { waitFor } from '../support/browser/im-server.js';
import { alicePlusBob, inShadow, type Widget } from '../support/browser/widget.js';

/**
 * The microphone: a tone in place of the hardware, recorded by the browser's own
 * MediaRecorder. `refuse` makes the browser refuse access, as when a person says no.
 */
function fakeMicrophone(options: { refuse?: string } = {}): () => void {
  const devices = navigator.mediaDevices;
  // Firefox has a tone of its own (see the test browsers' settings); Web Audio's would stay
  // silent there, suspended until a click.
  if (!options.refuse && navigator.userAgent.includes('Firefox')) return () => undefined;
  const original = devices?.getUserMedia;
  const contexts: AudioContext[] = [];
  const getUserMedia = async () => {
    if (options.refuse) throw new DOMException('refused', options.refuse);
    const context = new AudioContext();
    contexts.push(context);
    const tone = context.createOscillator();
    const gain = context.createGain();
    gain.gain.value = 0.5;
    const out = context.createMediaStreamDestination();
    tone.connect(gain).connect(out);
    tone.start();
    return out.stream;
  };
  Object.defineProperty(devices, 'getUserMedia', { value: getUserMedia, configurable: true, writable: true });
  return () => {
    Object.defineProperty(devices, 'getUserMedia', { value: original, configurable: true, writable: true });
    for (const context of contexts) void context.close();
  };
}

const canRecord = typeof MediaRecorder !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;

const composerPart = <T extends Element = HTMLElement>(widget: Widget, selector: string) =>
  inShadow<T>(widget.element, 'im-message-pane', 'im-composer', selector);

const recordButton = (widget: Widget) => composerPart<HTMLButtonElement>(widget, 'button.send')!;
const feedback = (widget: Widget) => composerPart(widget, '#feedback')!.textContent!.trim();

async function voiceMessages(client: ChatClient, conversationId: string): Promise<(TimelineEntry & { body: VoiceBody })[]> {
  return (await timeline(client, conversationId)).filter(
    (entry): entry is TimelineEntry & { body: VoiceBody } => entry.body.type === 'voice',
  );
}

async function openChat() {
  const { alice, bob, names } = await alicePlusBob();
  await alice.startChatWith(names.bob);
  const pane = inShadow<ImMessagePane>(alice.element, 'im-message-pane')!;
  return { alice, bob, names, conversationId: pane.conversationId };
}

describe('voice messages', () => {
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
    fixtureCleanup();
  });

  it('records hands-free from the keyboard, and the other person plays it, seeks and changes speed', async function () {
    if (!canRecord) this.skip(); // see the next test: such a browser says so
    restore = fakeMicrophone();
    const { alice, bob, names, conversationId } = await openChat();
    const client = alice.element.chatClient!;

    // With nothing written, Send is the record button.
    expect(recordButton(alice).getAttribute('aria-label')).to.equal('Record a voice message');
    await alice.type('x');
    expect(recordButton(alice).getAttribute('aria-label')).to.equal('Send');
    await sendKeys({ press: 'Backspace' });
    await waitFor(() => recordButton(alice).getAttribute('aria-label') === 'Record a voice message', 'the record button back');

    recordButton(alice).focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => composerPart(alice, '[part="recorder"]'), 'the recording to start');
    expect(recordButton(alice).getAttribute('aria-label')).to.equal('Send voice message');
    expect(composerPart(alice, '[part="recorder"] button[aria-label="Cancel recording"]')).to.not.equal(null);
    await waitFor(() => composerPart(alice, '.rec-time')!.textContent === '0:01', 'a second recorded', 5_000);
    await sendKeys({ press: 'Enter' });

    const [sent] = await waitFor(async () => {
      const found = await voiceMessages(client, conversationId);
      return found.length === 1 && found[0]!.status === 'sent' ? found : null;
    }, 'the voice message to be sent');
    expect(sent!.body.duration).to.be.within(1_000, 4_000);
    expect(sent!.body.waveform.length).to.be.greaterThan(5);
    expect(Math.max(...sent!.body.waveform)).to.equal(100);
    expect(composerPart(alice, '[part="recorder"]')).to.equal(null);

    // Bob hears it.
    await bob.openConversation(names.alice);
    const player = await waitFor(() => bob.messageList()?.shadowRoot?.querySelector('im-voice-message'), 'the voice message at Bob');
    const play = await waitFor(() => inShadow<HTMLButtonElement>(player, '[part="voice-play"]'), 'its play button');
    const time = inShadow(player, '[part="voice-time"]')!;
    const length = time.textContent;
    expect(play.getAttribute('aria-label')).to.equal(`Play voice message, ${length}`);
    const waveform = inShadow(player, '[part="voice-waveform"]')!;
    expect(waveform.getAttribute('role')).to.equal('slider');

    // The keyboard seeks along the slider.
    waveform.focus();
    await sendKeys({ press: 'End' });
    expect(waveform.getAttribute('aria-valuenow')).to.equal(String(Math.round(sent!.body.duration / 1000)));
    await sendKeys({ press: 'Home' });
    expect(waveform.getAttribute('aria-valuenow')).to.equal('0');

    const speed = inShadow<HTMLButtonElement>(player, '[part="voice-speed"]')!;
    expect(speed.textContent!.trim()).to.equal('1×');
    speed.click();
    expect((await waitFor(() => speed.textContent!.trim() !== '1×' && speed.textContent!.trim(), 'the speed to change'))).to.equal('1.5×');

    play.focus();
    await sendKeys({ press: 'Enter' });
    await waitFor(() => play.getAttribute('aria-label') === 'Pause voice message', 'it to play', 10_000);
    // Headless Firefox here has no sound output, and its media clock stands still.
    if (!navigator.userAgent.includes('Firefox')) {
      await waitFor(() => played(player) > 0, 'the played part of the waveform to grow', 10_000);
    }
    await sendKeys({ press: 'Enter' });
    await waitFor(() => play.getAttribute('aria-label') === `Play voice message, ${length}`, 'it to pause');
  });

  it('says clearly when the microphone is refused, missing, or the browser cannot record', async () => {
    const { alice } = await openChat();
    if (canRecord) {
      restore = fakeMicrophone({ refuse: 'NotAllowedError' });
      recordButton(alice).click();
      await waitFor(() => feedback(alice).startsWith('Microphone access was refused'), 'the refusal explained');
      expect(composerPart(alice, '[part="recorder"]')).to.equal(null);
      restore();
      restore = fakeMicrophone({ refuse: 'NotFoundError' });
      recordButton(alice).click();
      await waitFor(() => feedback(alice) === 'No microphone was found.', 'the missing microphone explained');
    } else {
      recordButton(alice).click();
      await waitFor(() => feedback(alice) === 'This browser cannot record voice messages.', 'the browser’s limit explained');
    }
  });

  it('records while held and cancels when the finger slides back', async function () {
    if (!canRecord) this.skip();
    restore = fakeMicrophone();
    const { alice, conversationId } = await openChat();
    const button = recordButton(alice);
    const box = button.getBoundingClientRect();
    const at = (type: string, x: number) =>
      button.dispatchEvent(new PointerEvent(type, { bubbles: true, composed: true, button: 0, pointerId: 7, clientX: x, clientY: box.top + 5 }));
    at('pointerdown', box.left + 5);
    await waitFor(() => composerPart(alice, '[part="recorder"]'), 'recording while held');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(composerPart(alice, '.rec-hint')!.textContent).to.equal('Slide to cancel');
    at('pointermove', box.left - 120);
    await waitFor(() => composerPart(alice, '.rec-hint')?.textContent === 'Release to cancel', 'the cancel armed');
    at('pointerup', box.left - 120);
    await waitFor(() => !composerPart(alice, '[part="recorder"]'), 'the recording dropped');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await voiceMessages(alice.element.chatClient!, conversationId)).to.have.length(0);
  });
});

/** Bars of the waveform drawn as played. */
function played(player: Element): number {
  return player.shadowRoot!.querySelectorAll('rect.played').length;
}

describe('video messages', () => {
  afterEach(() => fixtureCleanup());

  /** A short video the browser records from a canvas; null where it records none. */
  async function recordedVideo(): Promise<File | null> {
    const type = ['video/webm', 'video/mp4'].find((candidate) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(candidate));
    if (!type) return null;
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 240;
    const paint = canvas.getContext('2d')!;
    const recorder = new MediaRecorder(canvas.captureStream(20), { mimeType: type });
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    let frame = 0;
    const timer = setInterval(() => {
      paint.fillStyle = `hsl(${(frame += 20) % 360} 80% 50%)`;
      paint.fillRect(0, 0, 320, 240);
    }, 50);
    recorder.start(100);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    recorder.stop();
    await new Promise((resolve) => (recorder.onstop = resolve));
    clearInterval(timer);
    const file = new File(chunks, `clip.${type === 'video/mp4' ? 'mp4' : 'webm'}`, { type });
    if (file.size === 0) console.log('This browser records no bytes from a canvas: the inline video test is skipped here.');
    return file.size > 0 ? file : null;
  }

  it('sends a video that plays inline for the other person, or is offered as a download where it cannot', async function () {
    const video = await recordedVideo();
    if (!video) this.skip(); // no engine here lacks it; the server-side tests cover the message
    const { alice, bob, names, conversationId } = await openChat();
    const input = composerPart<HTMLInputElement>(alice, 'input[type="file"]')!;
    const files = new DataTransfer();
    files.items.add(video!);
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
    await waitFor(async () => {
      const entries = await timeline(alice.element.chatClient!, conversationId);
      return entries.some((entry) => entry.body.type === 'video' && entry.status === 'sent');
    }, 'the video message to be sent');

    await bob.openConversation(names.alice);
    const attachment = await waitFor(() => bob.messageList()?.shadowRoot?.querySelector('im-attachment'), 'the video at Bob');
    const playable = document.createElement('video').canPlayType(video!.type) !== '';
    if (playable) {
      const player = await waitFor(() => inShadow<HTMLVideoElement>(attachment, 'video'), 'the inline player');
      expect(player.getAttribute('aria-label')).to.equal(`Video ${video!.name}`);
      await waitFor(() => player.readyState >= HTMLMediaElement.HAVE_METADATA, 'the video’s metadata to load', 10_000);
      expect(player.videoWidth).to.equal(320);
      // Its box keeps a video's shape before and after it loads.
      const box = inShadow(attachment, '[part="video-box"]')!.getBoundingClientRect();
      expect(box.width / box.height).to.be.closeTo(16 / 9, 0.05);
    } else {
      await waitFor(() => inShadow(attachment, '[part="download"]'), 'the download card');
      expect(inShadow(attachment, '[part="file-name"]')!.textContent).to.equal(video!.name);
    }
  });
});
