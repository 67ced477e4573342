/** Finding the `@name` being typed, and which mentions a text still contains. */

/** The id of the `@all` entry of the list (everyone in the group). */
export const allId = '@all';

export interface Mentionable {
  id: string;
  name: string;
  avatar: string | null;
}

/** The `@query` right before the caret, if the user is typing one. */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@]{0,30})$/u.exec(before);
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/** Candidates whose name (or id) starts with, then contains, the query. */
export function matchMentionables(
  candidates: readonly Mentionable[],
  query: string,
  max = 8,
): Mentionable[] {
  const needle = query.toLocaleLowerCase();
  const starts: Mentionable[] = [];
  const contains: Mentionable[] = [];
  for (const candidate of candidates) {
    const name = candidate.name.toLocaleLowerCase();
    if (name.startsWith(needle) || candidate.id.toLocaleLowerCase().startsWith(needle)) starts.push(candidate);
    else if (name.includes(needle)) contains.push(candidate);
  }
  return [...starts, ...contains].slice(0, max);
}

/** The picked mentions whose `@name` is still in the text (the user may have deleted some). */
export function mentionsStillIn(text: string, picked: ReadonlyMap<string, string>): string[] {
  return [...picked].filter(([, name]) => text.includes(`@${name}`)).map(([id]) => id);
}
