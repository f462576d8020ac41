// Whole-file text tests that run on every edit. A regular expression made of `\b`-led alternatives
// makes V8 try every position of the file (~1 ms per 300 KB, per test, per edit); searching for a
// literal first and testing the pattern only where the literal occurs costs a fraction of that and
// answers the same.

export interface Anchored {
  /** A literal every match starts with. */
  literal: string;
  /** Sticky (`y`) pattern tested where the literal occurs; it must match the same text the original alternative did. */
  pattern: RegExp;
  /** The original alternative started with `\b`: the character before must not be a word character. */
  wordStart?: boolean;
  /** Extra condition at the occurrence (e.g. "at the start of a line"). */
  where?: (text: string, at: number) => boolean;
}

const WORD = /[A-Za-z0-9_]/;

const literalScanners = new WeakMap<readonly (readonly Anchored[])[], RegExp>();

/** One regular expression for every alternative's literal: one pass over the text finds them all. */
function scannerFor(sets: readonly (readonly Anchored[])[]): RegExp {
  let re = literalScanners.get(sets);
  if (!re) {
    const literals = [...new Set(sets.flat().map((a) => a.literal))].sort((a, b) => b.length - a.length);
    re = new RegExp(literals.map((l) => l.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
    literalScanners.set(sets, re);
  }
  return re;
}

function matchesAt(text: string, at: number, alt: Anchored): boolean {
  if (!text.startsWith(alt.literal, at)) return false;
  if (alt.wordStart && at > 0 && WORD.test(text[at - 1]!)) return false;
  if (alt.where && !alt.where(text, at)) return false;
  alt.pattern.lastIndex = at;
  return alt.pattern.test(text);
}

/**
 * For each set of alternatives, whether one of them matches somewhere in `text`: one pass over the
 * text for all the sets (pass the same array each time: its scanner is kept).
 */
export function anchoredMatches(text: string, sets: readonly (readonly Anchored[])[]): boolean[] {
  const found = sets.map(() => false);
  let open = sets.length;
  const scanner = scannerFor(sets);
  scanner.lastIndex = 0;
  for (let m = scanner.exec(text); m && open > 0; m = scanner.exec(text)) {
    const at = m.index;
    // Every alternative whose literal starts here (one literal may begin another), then the next position.
    sets.forEach((alternatives, i) => {
      if (!found[i] && alternatives.some((alt) => matchesAt(text, at, alt))) {
        found[i] = true;
        open--;
      }
    });
    scanner.lastIndex = at + 1;
  }
  return found;
}

const singleSets = new WeakMap<readonly Anchored[], readonly (readonly Anchored[])[]>();

/** True when some alternative matches somewhere in `text`. */
export function someAnchoredMatch(text: string, alternatives: readonly Anchored[]): boolean {
  let sets = singleSets.get(alternatives);
  if (!sets) singleSets.set(alternatives, (sets = [alternatives]));
  return anchoredMatches(text, sets)[0]!;
}

const WHITESPACE = /\s/;

/** `at` is preceded only by whitespace back to the start of a line or of the text (`^\s*` in multiline mode). */
export function atLineStart(text: string, at: number): boolean {
  for (let j = at - 1; j >= 0; j--) {
    const c = text[j]!;
    if (c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029') return true;
    if (!WHITESPACE.test(c)) return false;
  }
  return true;
}

const isIdentifierCode = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;

/**
 * How often `name` occurs as a standalone word: not part of a longer identifier and not after a dot
 * (the regular expression `(?<![\w$.])name(?![\w$])`, answered with `indexOf`: a look-behind
 * expression built per name scanned the whole file once per name asked about).
 */
export function standaloneOccurrences(text: string, name: string): number {
  let count = 0;
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const before = at > 0 ? text.charCodeAt(at - 1) : -1;
    if (before === 46 || isIdentifierCode(before)) continue;
    if (isIdentifierCode(text.charCodeAt(at + name.length))) continue;
    count++;
  }
  return count;
}
