/** The median of several rounds, and how far the rounds ranged. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** The median (the mean of the middle two for an even count) and the range; NaN when empty. */
export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/** `12.3 (11.0–14.2)`; the range is left out for a single round. */
export function formatSpread(spread: Spread, format: (value: number) => string): string {
  if (!Number.isFinite(spread.median)) return '–';
  if (spread.min === spread.max) return format(spread.median);
  return `${format(spread.median)} (${format(spread.min)}–${format(spread.max)})`;
}

export function roundSpread(spread: Spread, digits: number): Spread {
  const factor = 10 ** digits;
  const round = (value: number) => Math.round(value * factor) / factor;
  return { median: round(spread.median), min: round(spread.min), max: round(spread.max) };
}
