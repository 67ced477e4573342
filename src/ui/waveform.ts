/**
 * `levels` in `count` equal steps of time, each step `combine` of the levels it covers
 * (a step covers at least one: fewer levels than steps are stretched).
 */
export function inSteps(levels: readonly number[], count: number, combine: (part: number[]) => number): number[] {
  return Array.from({ length: count }, (_, index) => {
    const from = Math.floor((index * levels.length) / count);
    const to = Math.max(from + 1, Math.floor(((index + 1) * levels.length) / count));
    return combine(levels.slice(from, to));
  });
}
