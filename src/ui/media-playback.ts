/**
 * One medium plays at a time on the page: a voice message or a video that starts pauses
 * whichever was playing, in this widget or in another `<im-chat>` on the same page.
 */
let playing: WeakRef<HTMLMediaElement> | null = null;

/** Call when `media` starts playing. */
export function claimPlayback(media: HTMLMediaElement): void {
  const previous = playing?.deref();
  if (previous && previous !== media && !previous.paused) previous.pause();
  playing = new WeakRef(media);
}
