/** What the message-list benchmark's page measures; shared by the page and its runner. */

export type ListKind = 'virtualized' | 'plain';

export interface ListMeasurement {
  /**
   * From appending the list to the end of the first animation frame that shows the newest
   * message entirely in the list's viewport, its style, layout and paint included (ms).
   */
  firstFrameMs: number;
  /** `li.message` elements once the list has settled. */
  messageNodes: number;
  /** All elements in the list's shadow root once settled. */
  elements: number;
  /** From writing one new message to the cache to the first frame that shows it (ms). */
  newMessageMs: number;
}

/** What the page offers the runner, as `messageListBench` on its window. */
export interface MessageListBenchPage {
  /** Writes the conversation and `count` messages into the cache. */
  seed(count: number): Promise<void>;
  /** Opens the conversation in a fresh list of this kind and measures it. */
  open(kind: ListKind): Promise<ListMeasurement>;
}
