// Whole-file text tests that run on every edit. A regular expression made of `\b`-led alternatives
// makes V8 try every position of the file, and so does one made of several literals (V8 skips ahead
// well only for one or two of them): ~0.8 ms per 300 KB, per test, per edit. Here each literal is
// found with `indexOf` of a short piece of it that starts with an uncommon character (`indexOf`
// jumps between occurrences of that character natively: ~0.02-0.05 ms per 300 KB), and the pattern
// is tested only where the whole literal occurs. The answers are those of the original expressions.

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

/**
 * Characters of JavaScript source from the most to the least common (measured over the bench
 * corpus); any other character is rarer than all of these. Only speed depends on this order.
 */
const COMMON_CHARACTERS = " etrsnaoi\nAlcdu/p.)(fhm,'=ygb{};:v";

/** `indexOf` compares longer keys with a slower algorithm (Boyer-Moore-Horspool) in V8. */
const MAX_KEY_LENGTH = 6;
/** A shorter key stops at too many places that are not the literal. */
const MIN_KEY_LENGTH = 2;

/**
 * The piece of `literal` to search for: up to MAX_KEY_LENGTH characters from its least common
 * character (where at least MIN_KEY_LENGTH characters are left), and where it starts in the literal.
 */
export function searchKey(literal: string): { key: string; offset: number } {
  const lastStart = Math.max(0, literal.length - Math.min(MIN_KEY_LENGTH, literal.length));
  let offset = 0;
  let rarity = -1;
  for (let i = 0; i <= lastStart; i++) {
    const rank = COMMON_CHARACTERS.indexOf(literal[i]!);
    const r = rank < 0 ? COMMON_CHARACTERS.length : rank;
    if (r > rarity) {
      rarity = r;
      offset = i;
    }
  }
  return { key: literal.slice(offset, offset + MAX_KEY_LENGTH), offset };
}

/** One search: a literal and, for each set, the alternatives that start with it. */
interface LiteralSearch {
  literal: string;
  key: string;
  offset: number;
  alternatives: { set: number; alternative: Anchored }[];
}

const plans = new WeakMap<readonly (readonly Anchored[])[], LiteralSearch[]>();

/** The searches for a group of sets: one per distinct literal, shared by every set that uses it. */
function planFor(sets: readonly (readonly Anchored[])[]): LiteralSearch[] {
  let plan = plans.get(sets);
  if (!plan) {
    const byLiteral = new Map<string, LiteralSearch>();
    sets.forEach((alternatives, set) => {
      for (const alternative of alternatives) {
        let search = byLiteral.get(alternative.literal);
        if (!search) byLiteral.set(alternative.literal, (search = { literal: alternative.literal, ...searchKey(alternative.literal), alternatives: [] }));
        search.alternatives.push({ set, alternative });
      }
    });
    plan = [...byLiteral.values()];
    plans.set(sets, plan);
  }
  return plan;
}

function matchesAt(text: string, at: number, alt: Anchored): boolean {
  if (alt.wordStart && at > 0 && WORD.test(text[at - 1]!)) return false;
  if (alt.where && !alt.where(text, at)) return false;
  alt.pattern.lastIndex = at;
  return alt.pattern.test(text);
}

/**
 * For each set of alternatives, whether one of them matches somewhere in `text` (pass the same
 * array each time: its searches are planned once). A literal shared by several sets is searched
 * for once; a search stops when every set it could still answer is answered.
 */
export function anchoredMatches(text: string, sets: readonly (readonly Anchored[])[]): boolean[] {
  // An open document's text: its occurrences are kept through its edits.
  if (knownDocument?.text === text) return knownDocument.answers(sets);
  return searchWhole(text, sets);
}

/** `anchoredMatches` by one search of the whole text. */
function searchWhole(text: string, sets: readonly (readonly Anchored[])[]): boolean[] {
  const found = sets.map(() => false);
  let open = sets.length;
  for (const search of planFor(sets)) {
    if (open === 0) break;
    let undecided = search.alternatives.some(({ set }) => !found[set]);
    // Every occurrence of the literal holds the key `offset` characters in; occurrences may overlap.
    for (let k = undecided ? text.indexOf(search.key, search.offset) : -1; k >= 0 && undecided; k = text.indexOf(search.key, k + 1)) {
      const at = k - search.offset;
      if (!text.startsWith(search.literal, at)) continue;
      open -= answerAt(text, at, search, found);
      undecided = search.alternatives.some(({ set }) => !found[set]);
    }
  }
  return found;
}

/** At an occurrence of `search`'s literal, the sets not yet `found` that one of its alternatives answers; how many. */
function answerAt(text: string, at: number, search: LiteralSearch, found: boolean[]): number {
  let answered = 0;
  for (const { set, alternative } of search.alternatives) {
    if (!found[set] && matchesAt(text, at, alternative)) {
      found[set] = true;
      answered++;
    }
  }
  return answered;
}

/** Every place `search`'s literal occurs in `text` from `from` on, before `to` (found through its key). */
function occurrencesOf(text: string, search: LiteralSearch, from: number, to: number): number[] {
  const out: number[] = [];
  // A slice, so that `indexOf` stops at its end instead of running on to the next occurrence in the file.
  const piece = from === 0 && to + search.literal.length >= text.length ? text : text.slice(from, Math.min(text.length, to + search.literal.length - 1));
  for (let k = piece.indexOf(search.key, search.offset); k >= 0; k = piece.indexOf(search.key, k + 1)) {
    const at = from + k - search.offset;
    if (at >= to) break;
    if (text.startsWith(search.literal, at)) out.push(at);
  }
  return out;
}

/**
 * Where the literals of a group of sets occur in an open document's text, kept through its edits: an
 * edit moves the occurrences after it and looks for new ones only around itself. `answers()` tests
 * every occurrence again on the current text (a few hundred in a 10,000-line file: the alternatives
 * may read past an edit, so none is taken for granted), so it answers what `anchoredMatches` does
 * without searching the whole text on every edit.
 */
export class AnchoredIndex {
  private readonly plan: LiteralSearch[];
  private readonly positions: number[][];

  constructor(
    text: string,
    private readonly sets: readonly (readonly Anchored[])[],
  ) {
    this.plan = planFor(sets);
    this.positions = this.plan.map((search) => occurrencesOf(text, search, 0, text.length));
  }

  /** [start, end) of the text was replaced by `newText`, giving `result`. */
  edit(start: number, end: number, newText: string, result: string): void {
    const delta = newText.length - (end - start);
    const changedEnd = start + newText.length;
    this.plan.forEach((search, k) => {
      const length = search.literal.length;
      const old = this.positions[k]!;
      const next: number[] = [];
      // Before the edit, the occurrences that end before it; then those the edit made or that run
      // into it; then the ones after it, moved.
      let i = 0;
      for (; i < old.length && old[i]! + length <= start; i++) next.push(old[i]!);
      for (const at of occurrencesOf(result, search, Math.max(0, start - length + 1), changedEnd)) next.push(at);
      for (; i < old.length; i++) if (old[i]! >= end) next.push(old[i]! + delta);
      this.positions[k] = next;
    });
  }

  /** For each set, whether one of its alternatives matches at one of the occurrences in `text` (the text after the last edit). */
  answers(text: string): boolean[] {
    const found = this.sets.map(() => false);
    let open = this.sets.length;
    this.plan.forEach((search, k) => {
      for (const at of this.positions[k]!) {
        if (open === 0) return;
        open -= answerAt(text, at, search, found);
      }
    });
    return found;
  }
}

/**
 * An open document's occurrences of the literals of every group of sets asked about its text, each
 * group's found by one search the first time it is asked, then kept through the document's edits.
 */
export class DocumentOccurrences {
  private readonly indexes = new Map<readonly (readonly Anchored[])[], AnchoredIndex>();

  constructor(private current: string) {}

  get text(): string {
    return this.current;
  }

  /** [start, end) of the text was replaced by `newText`, giving `result`. */
  edit(start: number, end: number, newText: string, result: string): void {
    for (const index of this.indexes.values()) index.edit(start, end, newText, result);
    this.current = result;
  }

  answers(sets: readonly (readonly Anchored[])[]): boolean[] {
    let index = this.indexes.get(sets);
    if (!index) this.indexes.set(sets, (index = new AnchoredIndex(this.current, sets)));
    return index.answers(this.current);
  }
}

let knownDocument: DocumentOccurrences | undefined;

/** Tells the text tests where their literals are in `occurrences.text` (an open document keeps them through its edits). */
export function knownOccurrences(occurrences: DocumentOccurrences): void {
  knownDocument = occurrences;
}

/** A test that a literal occurs anywhere, as an anchored test (make it once: its searches are planned once). */
export function literalTest(literal: string): readonly Anchored[] {
  return [{ literal, pattern: new RegExp(literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'y') }];
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
