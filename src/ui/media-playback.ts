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

/**
 * Whether `media` failed because its URL no longer gives the file (the access in it ran
 * out, say), so that a fresh URL may play it: a network error, or a source it could not
 * use. Not a decoding error: Firefox reports one when the device has no sound output,
 * and plays on in silence; a fresh URL would not help a file that cannot be decoded either.
 */
export function sourceLost(media: HTMLMediaElement): boolean {
  const code = media.error?.code;
  return code === MediaError.MEDIA_ERR_NETWORK || code === MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED;
}
