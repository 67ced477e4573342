/**
 * Recording a voice message in the composer: the microphone through MediaRecorder, its
 * loudness drawn live and kept as the message's waveform, and its time. Hold the button
 * to record and release to send (slide towards the start of the line to cancel), or tap
 * it to record hands-free with Cancel and Send. A refused microphone, a missing one and a
 * browser without MediaRecorder each get a clear message.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { VoiceRecording } from '../../client/index.js';
import { limits } from '../../protocol/limits.js';
import type { MessageKey } from '../i18n/index.js';
import { capture } from '../pointer-capture.js';
import { inSteps } from '../waveform.js';

export type RecorderMode = 'tap' | 'hold';

/** Why recording is not possible, as a message for people. */
export type RecorderProblem = Extract<MessageKey, 'voice.denied' | 'voice.noMicrophone' | 'voice.unsupported' | 'voice.tooShort'>;

export interface RecorderHost extends ReactiveControllerHost {
  /** A finished recording to send. */
  onRecorded(audio: Blob, recording: VoiceRecording): void;
}

/** Containers in the order they are tried; the browser records the first it can. */
const containers = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/mp4', 'audio/webm'];
/** A recording shorter than this is a slip of the finger, not a message. */
const shortestMs = 700;
/** A hold shorter than this is a tap: recording goes on hands-free. */
const tapMs = 350;
/** How far (px) a held finger slides towards the start of the line to cancel. */
const cancelDistance = 80;
/** Loudness is sampled this often. */
const sampleMs = 50;
/** Steps of the waveform the message carries. */
const waveformSteps = 64;

export class VoiceRecorder implements ReactiveController {
  state: 'idle' | 'starting' | 'recording' = 'idle';
  mode: RecorderMode = 'tap';
  /** Milliseconds recorded so far. */
  elapsed = 0;
  /** Loudness samples so far, 0–100. */
  levels: number[] = [];
  /** A held recording slid far enough to be cancelled on release. */
  cancelArmed = false;
  problem: RecorderProblem | null = null;

  #recorder: MediaRecorder | null = null;
  #stream: MediaStream | null = null;
  #audio: AudioContext | null = null;
  #chunks: Blob[] = [];
  #startedAt = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #pressedAt = 0;
  #pressX = 0;
  #released = false;
  #send = false;

  constructor(private readonly host: RecorderHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
  }

  /** Recording without a held press, waiting for Send or Cancel. */
  get handsFree(): boolean {
    return this.state !== 'idle' && this.mode === 'tap';
  }

  /** Whether this browser can record at all (it may still be refused the microphone). */
  static get supported(): boolean {
    return typeof MediaRecorder !== 'undefined' && typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
  }

  /** The record button was pressed: recording starts; the release decides between tap and hold. */
  press(event: PointerEvent): void {
    if (event.button !== 0 || this.state !== 'idle') return;
    capture(event);
    this.#pressedAt = performance.now();
    this.#pressX = event.clientX;
    this.#released = false;
    this.cancelArmed = false;
    void this.start('hold');
  }

  /** The finger moved while holding: far enough towards the start of the line arms cancel. */
  move(event: PointerEvent, rtl: boolean): void {
    if (this.mode !== 'hold' || this.#released || this.state === 'idle') return;
    const towardsStart = rtl ? event.clientX - this.#pressX : this.#pressX - event.clientX;
    const armed = towardsStart > cancelDistance;
    if (armed !== this.cancelArmed) {
      this.cancelArmed = armed;
      this.host.requestUpdate();
    }
  }

  /** The finger lifted: a short press keeps recording hands-free; a hold sends or cancels. */
  release(): void {
    if (this.#released || this.state === 'idle') return;
    this.#released = true;
    if (performance.now() - this.#pressedAt < tapMs || this.state === 'starting') {
      this.mode = 'tap';
      this.host.requestUpdate();
      return;
    }
    if (this.cancelArmed) this.cancel();
    else this.finish();
  }

  /** Starts recording (from the keyboard: hands-free). */
  async start(mode: RecorderMode): Promise<void> {
    if (this.state !== 'idle') return;
    this.problem = null;
    if (!VoiceRecorder.supported) return this.#fail('voice.unsupported');
    this.mode = mode;
    this.state = 'starting';
    this.host.requestUpdate();
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (error) {
      const name = (error as DOMException).name;
      return this.#fail(name === 'NotFoundError' || name === 'OverconstrainedError' ? 'voice.noMicrophone' : 'voice.denied');
    }
    if (this.state !== 'starting') {
      // Cancelled while the browser asked for the microphone.
      for (const track of stream.getTracks()) track.stop();
      return;
    }
    const mimeType = containers.find((type) => MediaRecorder.isTypeSupported(type));
    let recorder: MediaRecorder;
    try {
      recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    } catch {
      for (const track of stream.getTracks()) track.stop();
      return this.#fail('voice.unsupported');
    }
    this.#stream = stream;
    this.#recorder = recorder;
    this.#chunks = [];
    this.levels = [];
    this.elapsed = 0;
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) this.#chunks.push(event.data);
    });
    recorder.addEventListener('stop', () => void this.#stopped(recorder));
    recorder.start(250);
    this.#startedAt = performance.now();
    this.#listen(stream);
    this.state = 'recording';
    // Released while the browser asked for the microphone: hands-free from here.
    if (this.#released && mode === 'hold') this.mode = 'tap';
    this.host.requestUpdate();
  }

  /** Stops and sends what was recorded. */
  finish(): void {
    this.#stop(true);
  }

  /** Stops and drops what was recorded. */
  cancel(): void {
    this.#stop(false);
  }

  dismissProblem(): void {
    this.problem = null;
    this.host.requestUpdate();
  }

  #stop(send: boolean): void {
    if (this.state === 'idle') return;
    this.#send = send;
    clearInterval(this.#timer);
    if (this.#recorder && this.#recorder.state !== 'inactive') this.#recorder.stop();
    else this.#release();
    this.state = 'idle';
    this.cancelArmed = false;
    this.host.requestUpdate();
  }

  async #stopped(recorder: MediaRecorder): Promise<void> {
    const duration = Math.round(Math.min(performance.now() - this.#startedAt, limits.voiceDurationMaxMs));
    const audio = new Blob(this.#chunks, { type: recorder.mimeType || 'audio/webm' });
    const live = this.levels;
    this.#release();
    if (!this.#send) return;
    if (duration < shortestMs || audio.size === 0) {
      this.problem = 'voice.tooShort';
      this.host.requestUpdate();
      return;
    }
    // The recording itself, decoded, where the browser can; else what was sampled live.
    const waveform = (await decodedWaveform(audio)) ?? toWaveform(live);
    this.host.onRecorded(audio, { duration, waveform });
  }

  /** Samples the loudness while recording; stops by itself at the longest a message may be. */
  #listen(stream: MediaStream): void {
    let analyser: AnalyserNode | null = null;
    try {
      this.#audio = new AudioContext();
      analyser = this.#audio.createAnalyser();
      analyser.fftSize = 1024;
      this.#audio.createMediaStreamSource(stream).connect(analyser);
      // Made after an await, it may start suspended where the browser wants a click first.
      void this.#audio.resume().catch(() => undefined);
    } catch {
      // No Web Audio: the message goes without a waveform.
    }
    const samples = new Uint8Array(analyser?.fftSize ?? 0);
    this.#timer = setInterval(() => {
      this.elapsed = performance.now() - this.#startedAt;
      if (analyser) {
        analyser.getByteTimeDomainData(samples);
        let sum = 0;
        for (const sample of samples) sum += ((sample - 128) / 128) ** 2;
        // Speech sits around an RMS of 0.05–0.3: spread that over the bar's height.
        this.levels.push(Math.min(100, Math.round(Math.sqrt(sum / samples.length) * 300)));
      }
      if (this.elapsed >= limits.voiceDurationMaxMs) this.finish();
      this.host.requestUpdate();
    }, sampleMs);
  }

  #release(): void {
    for (const track of this.#stream?.getTracks() ?? []) track.stop();
    void this.#audio?.close().catch(() => undefined);
    this.#stream = null;
    this.#audio = null;
    this.#recorder = null;
  }

  #fail(problem: RecorderProblem): void {
    this.#release();
    this.state = 'idle';
    this.problem = problem;
    this.host.requestUpdate();
  }
}

/**
 * The loudness of a recording over its time, in at most 64 steps, from its decoded
 * samples (an OfflineAudioContext needs no permission to start); null where the browser
 * cannot decode what it recorded.
 */
export async function decodedWaveform(audio: Blob): Promise<number[] | null> {
  try {
    const decoded = await new OfflineAudioContext(1, 1, 8000).decodeAudioData(await audio.arrayBuffer());
    const samples = decoded.getChannelData(0);
    const window = Math.max(1, Math.floor(samples.length / waveformSteps));
    const levels: number[] = [];
    for (let from = 0; from + window <= samples.length && levels.length < waveformSteps; from += window) {
      let sum = 0;
      for (let index = from; index < from + window; index++) sum += samples[index]! ** 2;
      levels.push(Math.sqrt(sum / window));
    }
    return toWaveform(levels);
  } catch {
    return null;
  }
}

/** The loudness samples as the message's waveform: at most 64 steps, the loudest at 100. */
export function toWaveform(levels: readonly number[]): number[] {
  if (levels.length === 0) return [];
  const steps = Math.min(waveformSteps, levels.length);
  const stepped = inSteps(levels, steps, (part) => part.reduce((sum, level) => sum + level, 0) / part.length);
  const loudest = Math.max(...stepped);
  return stepped.map((level) => (loudest > 0 ? Math.round((level / loudest) * 100) : 0));
}
