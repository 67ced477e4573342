import { limits, type PageInfo, type PrechatField } from '../../protocol/index.js';

/** The page the widget is on, as agents see it; null where it has no web address (a file). */
export function pageInfo(): PageInfo | null {
  const { href, protocol } = location;
  if ((protocol !== 'http:' && protocol !== 'https:') || href.length > limits.urlLength) return null;
  // Controls in a title would be refused; they carry nothing a person reads.
  const title = document.title.replace(/[\u0000-\u001F\u007F]/g, ' ').trim().slice(0, limits.pageTitleLength);
  return { url: href, title };
}

const strength: Record<PrechatField, number> = { off: 0, optional: 1, required: 2 };

/** The stricter of what the team asks and what the page asks (a page cannot ask less). */
export function strongerField(team: PrechatField, page: PrechatField | null): PrechatField {
  return page && strength[page] > strength[team] ? page : team;
}
