import { nothing, svg, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { playingTime } from '../../protocol/bodies.js';
import type { PlayersResult, VoiceBody } from '../../protocol/index.js';
import type { Translator } from '../i18n/index.js';
import { icons } from '../icons.js';
import { capture } from '../pointer-capture.js';
import { claimPlayback, sourceLost } from '../media-playback.js';
import { inSteps } from '../waveform.js';
import { html, imElement } from '../registry.js';
import { ImElement } from '../base/im-element.js';
import { styles } from './im-voice-message.styles.js';

/** Bars the waveform is drawn with, whatever number of steps the message carries. */
const bars = 40;
/** Speeds the speed button steps through. */
const speeds = [1, 1.5, 2] as const;

/**
 * A voice message: play and pause, its waveform as a slider to seek with (pointer, or the
 * arrow keys, Home and End), its time, and its speed (1×, 1.5×, 2×). The audio loads when
 * it is first played; one medium plays at a time on the page.
 *
 * @summary Voice message player.
 * @csspart voice - The player.
 * @csspart voice-play - The play and pause button.
 * @csspart voice-waveform - The waveform, a slider.
 * @csspart voice-time - Its length, or where it is while it plays.
 * @csspart voice-speed - The playback speed button.
 * @csspart voice-unplayed - The dot on someone else's voice message the user has not played yet.
 * @csspart voice-played - On the user's own voice message: whether the other person played it (a single chat), or "played by N" (a group), a button that lists them.
 * @csspart voice-players - The list of who played the user's own voice message in a group.
 * @cssprop --im-voice-bar - Colour of the waveform's bars still to play.
 * @cssprop --im-voice-bar-played - Colour of the bars played.
 * @cssprop --im-voice-unplayed - Colour of the dot of a voice message not played yet.
 * @cssprop --im-voice-heard - Colour of the microphone of the user's own voice message once it was played.
 */
@imElement('im-voice-message')
export class ImVoiceMessage extends ImElement {
  static override styles = styles;

  @property({ attribute: false }) body?: VoiceBody;
  @property({ attribute: 'conversation-id' }) conversationId = '';
  /** Whether its controls are in the Tab order (in a message list, only the focused message's are). */
  @property({ type: Boolean }) tabbable = true;
  /** The message's seq, once the server has it: starting to play someone else's marks it played. */
  @property({ type: Number }) seq: number | null = null;
  /** The user sent it: it shows whether others played it instead of the unplayed dot. */
  @property({ type: Boolean }) own = false;
  /** Sent in a group: "played by N" rather than played or not. */
  @property({ type: Boolean }) group = false;
  /** Someone else's voice message that the user has played, on any device. */
  @property({ type: Boolean }) played = false;
  /** The user's own voice message: how many others have played it. */
  @property({ type: Number, attribute: 'played-count' }) playedCount = 0;

  @state() private playing = false;
  /** Milliseconds from the start. */
  @state() private position = 0;
  @state() private speed: (typeof speeds)[number] = 1;
  /** The audio could not be had (offline). */
  @state() private unavailable = false;
  /** Who played the user's own group voice message, while that list is open. */
  @state() private players: PlayersResult | 'loading' | 'failed' | null = null;

  #audio: HTMLAudioElement | null = null;
  #url: string | null = null;
  #frame = 0;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#audio?.pause();
    cancelAnimationFrame(this.#frame);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('body') && changed.get('body')?.file.id !== this.body?.file.id) this.#reset();
    // A new play while the list is open: it is asked for again when reopened.
    if (changed.has('playedCount') && typeof this.players === 'object' && this.players !== null) this.players = null;
    if (changed.has('body') || changed.has('client') || changed.has('conversationId')) void this.#prepare();
    else if (this.unavailable && this.session?.status === 'online') void this.#prepare();
  }

  protected override render() {
    const t = this.translator;
    const body = this.body;
    if (!t || !body) return nothing;
    const duration = playingTime(body.duration);
    const shown = this.playing || this.position > 0 ? playingTime(this.position) : duration;
    const tabindex = this.tabbable ? 0 : -1;
    return html`<div part="voice" class="voice">
      <button
        type="button"
        part="voice-play"
        class="play"
        tabindex=${tabindex}
        aria-label=${this.playing ? t.t('voice.pause') : t.t('voice.play', { duration })}
        @click=${this.#toggle}
      >
        ${this.playing ? icons.pause : icons.play}
      </button>
      <div
        part="voice-waveform"
        class="waveform"
        role="slider"
        tabindex=${tabindex}
        aria-label=${t.t('voice.position')}
        aria-valuemin="0"
        aria-valuemax=${Math.round(body.duration / 1000)}
        aria-valuenow=${Math.round(this.position / 1000)}
        aria-valuetext=${t.t('voice.positionText', { time: playingTime(this.position), duration })}
        @pointerdown=${this.#onPointer}
        @keydown=${this.#onKeydown}
      >
        ${this.#renderWaveform(body)}
      </div>
      <span part="voice-time" class="time">${shown}</span>
      ${this.#renderPlayedMark(t)}
      <button
        type="button"
        part="voice-speed"
        class="speed"
        tabindex=${tabindex}
        aria-label=${t.t('voice.speed', { speed: this.#speedText(t) })}
        @click=${this.#nextSpeed}
      >
        ${this.#speedText(t)}
      </button>
      ${this.unavailable ? html`<span class="unavailable" role="status">${t.t('voice.unavailable')}</span>` : nothing}
      ${this.#renderPlayers(t)}
    </div>`;
  }

  /** The dot of an unplayed message; on the user's own, whether (a single chat) or by how many (a group) it was played. */
  #renderPlayedMark(t: Translator) {
    if (this.seq === null) return nothing;
    if (!this.own) {
      if (this.played) return nothing;
      const label = t.t('voice.unplayed');
      return html`<span part="voice-unplayed" class="unplayed" role="img" aria-label=${label} title=${label}></span>`;
    }
    if (!this.group) {
      const label = this.playedCount > 0 ? t.t('voice.played') : t.t('voice.unplayed');
      return html`<span part="voice-played" class="heard ${this.playedCount > 0 ? 'yes' : ''}" role="img" aria-label=${label} title=${label}
        >${icons.mic}</span
      >`;
    }
    if (this.playedCount === 0) return nothing;
    return html`<button
      type="button"
      part="voice-played"
      class="heard yes played-by"
      tabindex=${this.tabbable ? 0 : -1}
      aria-expanded=${this.players !== null}
      aria-controls="players"
      @click=${this.#togglePlayers}
    >
      ${icons.mic}<span>${t.t('voice.playedBy', { count: this.playedCount })}</span>
    </button>`;
  }

  #renderPlayers(t: Translator) {
    const { players } = this;
    if (players === null) return nothing;
    if (players === 'loading' || players === 'failed') {
      return html`<p id="players" part="voice-players" class="players" role="status">
        ${players === 'loading' ? t.t('voice.playersLoading') : t.t('voice.playersFailed')}
      </p>`;
    }
    const names = new Map(players.users.map((user) => [user.id, user.name]));
    return html`<ul id="players" part="voice-players" class="players" aria-label=${t.t('voice.players')}>
      ${players.players.map((player) => html`<li>${names.get(player.userId) ?? player.userId}</li>`)}
    </ul>`;
  }

  /** Opens the list of who played it (asked for each time, as it grows), or closes it. */
  async #togglePlayers(): Promise<void> {
    if (this.players !== null) {
      this.players = null;
      return;
    }
    const { client, conversationId, seq } = this;
    if (!client || seq === null) return;
    this.players = 'loading';
    try {
      const players = await client.messages.players(conversationId, seq);
      if (this.players === 'loading') this.players = players;
    } catch {
      if (this.players === 'loading') this.players = 'failed';
    }
  }

  /** Someone else's message, once it plays, is played, here and on the user's other devices. */
  #markPlayed(): void {
    const { client, conversationId, seq } = this;
    if (this.own || this.played || seq === null || !client) return;
    this.played = true;
    // Offline, the play waits on this device for the next catch-up; a refusal (the
    // message was recalled meanwhile) leaves nothing to tell.
    client.messages.played(conversationId, seq).catch(() => undefined);
  }

  #renderWaveform(body: VoiceBody) {
    const levels = resample(body.waveform, bars);
    const played = (this.position / body.duration) * levels.length;
    return svg`<svg viewBox="0 0 ${levels.length * 3} 100" preserveAspectRatio="none" aria-hidden="true">
      ${levels.map((level, index) => {
        const height = Math.max(8, level);
        return svg`<rect class=${index < played ? 'played' : ''} x=${index * 3} y=${(100 - height) / 2} width="2" height=${height} rx="1"></rect>`;
      })}
    </svg>`;
  }

  #speedText(t: Translator): string {
    return `${new Intl.NumberFormat(t.lang).format(this.speed)}×`;
  }

  /**
   * Plays from where it stands, or pauses. The audio is made and started within the press
   * itself, once its URL is known (browsers let sound start only from a press), so the URL
   * is asked for as soon as the message shows.
   */
  #toggle(): void {
    if (this.playing) {
      this.#audio?.pause();
      return;
    }
    const audio = this.#audio ?? (this.#url ? this.#makeAudio(this.#url) : null);
    if (audio) this.#play(audio);
    else void this.#prepare().then(() => this.#url && this.#play(this.#audio ?? this.#makeAudio(this.#url)));
  }

  #play(audio: HTMLAudioElement): void {
    audio.playbackRate = this.speed;
    if (this.position >= (this.body?.duration ?? 0)) this.position = 0;
    audio.currentTime = this.position / 1000;
    // Refused (no press) or not playable: the button stays a play button.
    audio.play().catch(() => undefined);
  }

  /** Asks for the file's URL; offline, the player says the message is available when online. */
  async #prepare(): Promise<void> {
    const { client, body, conversationId } = this;
    if (!client || !body || !conversationId || this.#url) return;
    try {
      const url = await client.files.url(conversationId, body.file.id);
      if (this.body?.file.id !== body.file.id) return;
      this.#url = url;
      this.unavailable = false;
    } catch {
      if (this.body?.file.id === body.file.id) this.unavailable = true;
    }
  }

  #makeAudio(url: string): HTMLAudioElement {
    const audio = new Audio(url);
    audio.preload = 'auto';
    // What an audio this player let go of (its URL refused) says later is not the player's.
    const on = (type: string, listener: () => void) =>
      audio.addEventListener(type, () => this.#audio === audio && listener());
    on('play', () => {
      claimPlayback(audio);
      this.playing = true;
      this.#follow();
    });
    // Played once it really plays: `play` comes before the file is fetched, which may fail.
    on('playing', () => this.#markPlayed());
    on('pause', () => {
      this.playing = false;
      this.position = audio.currentTime * 1000;
    });
    on('ended', () => {
      this.playing = false;
      this.position = 0;
    });
    on('error', () => {
      // Playing on (no sound output, say): the player follows it to its end.
      if (!sourceLost(audio)) {
        this.playing = !audio.paused;
        return;
      }
      // The access in the URL ran out: the next press asks for a fresh one.
      this.#audio = null;
      this.#url = null;
      this.playing = false;
      void this.#prepare();
    });
    this.#audio = audio;
    return audio;
  }

  /** Moves the played part of the waveform along, a frame at a time, while it plays. */
  #follow(): void {
    cancelAnimationFrame(this.#frame);
    const step = () => {
      const audio = this.#audio;
      if (!audio || audio.paused) return;
      this.position = Math.min(audio.currentTime * 1000, this.body?.duration ?? Infinity);
      this.#frame = requestAnimationFrame(step);
    };
    this.#frame = requestAnimationFrame(step);
  }

  #seek(ms: number): void {
    const duration = this.body?.duration ?? 0;
    this.position = Math.max(0, Math.min(duration, ms));
    if (this.#audio) this.#audio.currentTime = this.position / 1000;
  }

  /** A press on the waveform seeks there, and dragging follows. */
  #onPointer(event: PointerEvent): void {
    const target = event.currentTarget as HTMLElement;
    const duration = this.body?.duration ?? 0;
    const rtl = getComputedStyle(target).direction === 'rtl';
    const seekTo = (clientX: number) => {
      const box = target.getBoundingClientRect();
      const fraction = (rtl ? box.right - clientX : clientX - box.left) / box.width;
      this.#seek(Math.max(0, Math.min(1, fraction)) * duration);
    };
    seekTo(event.clientX);
    capture(event);
    const move = (moved: PointerEvent) => seekTo(moved.clientX);
    const end = () => {
      target.removeEventListener('pointermove', move);
      target.removeEventListener('pointerup', end);
      target.removeEventListener('pointercancel', end);
    };
    target.addEventListener('pointermove', move);
    target.addEventListener('pointerup', end);
    target.addEventListener('pointercancel', end);
  }

  #onKeydown(event: KeyboardEvent): void {
    const duration = this.body?.duration ?? 0;
    const step = Math.max(1000, duration / 20);
    const rtl = getComputedStyle(event.currentTarget as Element).direction === 'rtl';
    const forward = rtl ? 'ArrowLeft' : 'ArrowRight';
    const back = rtl ? 'ArrowRight' : 'ArrowLeft';
    const moves: Record<string, number> = {
      [forward]: this.position + step,
      ArrowUp: this.position + step,
      [back]: this.position - step,
      ArrowDown: this.position - step,
      Home: 0,
      End: duration,
    };
    const to = moves[event.key];
    if (to === undefined) return;
    event.preventDefault();
    this.#seek(to);
  }

  #nextSpeed(): void {
    this.speed = speeds[(speeds.indexOf(this.speed) + 1) % speeds.length]!;
    if (this.#audio) this.#audio.playbackRate = this.speed;
  }

  #reset(): void {
    this.#audio?.pause();
    this.#audio = null;
    this.#url = null;
    this.playing = false;
    this.position = 0;
    this.unavailable = false;
    this.players = null;
  }
}

/** `levels` stretched or squeezed to `count` steps (the loudest of those it covers). */
export function resample(levels: readonly number[], count: number): number[] {
  if (levels.length === 0) return Array<number>(count).fill(0);
  return inSteps(levels, count, (part) => Math.max(...part));
}

declare global {
  interface HTMLElementTagNameMap {
    'im-voice-message': ImVoiceMessage;
  }
}
