// A file-wide list that is each top-level statement's own list, one after the other, kept through an
// open document's edits. An edit re-creates a statement or a few; the statements at both ends are the
// same objects as in the last version, and so are their lists. Building the file's list again reads
// every statement's object, nearly each one a cache miss in a 10,000-line file; taking the last
// version's list at both ends copies a dense array instead.

/** How many entries at the start (`same`) and then at the end (`sameAtEnd`) of two lists are the same objects. */
export function commonEnds<T>(now: readonly T[], before: readonly T[]): { same: number; sameAtEnd: number } {
  const n = now.length;
  const m = before.length;
  let same = 0;
  let sameAtEnd = 0;
  while (same < n && same < m && now[same] === before[same]) same++;
  while (sameAtEnd < n - same && sameAtEnd < m - same && now[n - 1 - sameAtEnd] === before[m - 1 - sameAtEnd]) sameAtEnd++;
  return { same, sameAtEnd };
}

const NONE_COMMON = { same: 0, sameAtEnd: 0 };

export interface Concatenation<P, T> {
  /** The statements' keys (objects whose identity says the statement's list is the same), in order. */
  readonly parts: readonly P[];
  /** Every part's items, in part order. */
  readonly items: readonly T[];
  /** Where each part's items start in `items`, and `items.length` at the end (parts.length + 1 entries). */
  readonly starts: readonly number[];
  /** How many parts at the start (`same`) and at the end (`sameAtEnd`) had their items taken from the last version's. */
  readonly same: number;
  readonly sameAtEnd: number;
}

/**
 * The concatenation of `itemsOf(part)` over `parts` (an array nobody changes afterwards: it is kept).
 * With `last` (the same concatenation of the last version), the parts it shares at both ends are taken
 * from it: `itemsOf` must give the same items for the same part object, which is what keying the parts
 * by identity promises.
 */
export function concatenate<P, T>(parts: readonly P[], itemsOf: (part: P) => readonly T[], last?: Concatenation<P, T>): Concatenation<P, T> {
  const n = parts.length;
  const m = last ? last.parts.length : 0;
  const { same, sameAtEnd } = last ? commonEnds(parts, last.parts) : NONE_COMMON;
  const items: T[] = last && same > 0 ? last.items.slice(0, last.starts[same]) : [];
  const starts: number[] = last && same > 0 ? last.starts.slice(0, same) : [];
  for (let k = same; k < n - sameAtEnd; k++) {
    starts.push(items.length);
    for (const item of itemsOf(parts[k]!)) items.push(item);
  }
  if (!last || sameAtEnd === 0) {
    starts.push(items.length);
    return { parts, items, starts, same, sameAtEnd };
  }
  // The parts at the end as runs: a builtin's copy, where a loop per item would run uncompiled in a
  // freshly started server.
  const from = last.starts[m - sameAtEnd]!;
  const offset = items.length - from;
  const endStarts = last.starts.slice(m - sameAtEnd);
  return { parts, items: items.concat(last.items.slice(from)), starts: starts.concat(offset === 0 ? endStarts : endStarts.map((x) => x + offset)), same, sameAtEnd };
}

/** Like Concatenation, for one item per part: the items are parallel to the parts. */
export interface KeptMap<P, T> {
  readonly parts: readonly P[];
  readonly items: readonly T[];
}

/** `parts.map(itemOf)`, taking the items of the parts `last` shares at both ends from it (see `concatenate`). */
export function mapKept<P, T>(parts: readonly P[], itemOf: (part: P) => T, last?: KeptMap<P, T>): KeptMap<P, T> {
  const n = parts.length;
  const m = last ? last.parts.length : 0;
  const { same, sameAtEnd } = last ? commonEnds(parts, last.parts) : NONE_COMMON;
  const items: T[] = last && same > 0 ? last.items.slice(0, same) : [];
  for (let k = same; k < n - sameAtEnd; k++) items.push(itemOf(parts[k]!));
  return { parts, items: last && sameAtEnd > 0 ? items.concat(last.items.slice(m - sameAtEnd)) : items };
}
