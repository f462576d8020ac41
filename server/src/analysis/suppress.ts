// Inline suppressions: `// wirelens-disable-next-line rule-a, rule-b` silences the next line,
// `// wirelens-disable-line rule` its own line, `/* wirelens-disable rule */` the whole file.
// No rule list means every rule.
import { literalTest, someAnchoredMatch } from './textSearch';
import { lowerBound } from './walk';

export interface Suppressions {
  file: Set<string> | 'all' | undefined;
  lines: Map<number, Set<string> | 'all'>;
}

const DIRECTIVE = /(?:\/\/|\/\*)\s*wirelens-disable(-next-line|-line)?\b([^\n*]*)/g;
/** Files without the word have no directive (an open document keeps where the word is through its edits). */
const NAMES_DIRECTIVE = literalTest('wirelens-disable');

/** Where each line of `text` starts (lines end at '\n'). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/**
 * The line starts after replacing [start, end) of the text they describe with `newText`: the lines
 * before the edit stay, those after it move by the length change (a 10,000-line file is not scanned
 * again for a typed letter). An edit that adds and removes no line break, as most keystrokes, moves
 * them in place: `starts` is returned, changed (a copy of 10,000 entries per keystroke was a tenth of
 * what an edit allocated); otherwise a new array is.
 */
export function editedLineStarts(starts: number[], start: number, end: number, newText: string): number[] {
  const delta = newText.length - (end - start);
  // The first line starting after `start`, and the first after `end`: what lies between is replaced.
  const first = lowerBound(starts.length, (i) => starts[i]!, start + 1);
  const after = lowerBound(starts.length, (i) => starts[i]!, end + 1);
  if (first === after && !newText.includes('\n')) {
    // The text these described is gone: nobody may answer for it from the changed array.
    if (lastLines?.starts === starts) lastLines = undefined;
    for (let i = after; i < starts.length; i++) starts[i]! += delta;
    return starts;
  }
  const out = starts.slice(0, first);
  for (let i = newText.indexOf('\n'); i >= 0; i = newText.indexOf('\n', i + 1)) out.push(start + i + 1);
  for (let i = after; i < starts.length; i++) out.push(starts[i]! + delta);
  return out;
}

/** The line starts of the last text asked about: the suppressions, the engine and rules share them. */
let lastLines: { text: string; starts: readonly number[] } | undefined;

/** Tells `lineIndexAt` the line starts of `text` (an open document keeps them through its edits). */
export function knownLineStarts(text: string, starts: readonly number[]): void {
  lastLines = { text, starts };
}

/** 0-based line of an offset, counting '\n' line ends. */
export function lineIndexAt(text: string, offset: number): number {
  if (lastLines?.text !== text) lastLines = { text, starts: lineStarts(text) };
  const starts = lastLines.starts;
  return Math.max(0, lowerBound(starts.length, (i) => starts[i]!, offset + 1) - 1);
}

function ruleList(s: string): Set<string> | 'all' {
  const ids = s.split(/[\s,]+/).map((x) => x.trim()).filter((x) => /^[a-z0-9-]+$/.test(x));
  return ids.length === 0 ? 'all' : new Set(ids);
}

function merge(a: Set<string> | 'all' | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return a ? new Set([...a, ...b]) : b;
}

export function parseSuppressions(text: string): Suppressions {
  const out: Suppressions = { file: undefined, lines: new Map() };
  if (!someAnchoredMatch(text, NAMES_DIRECTIVE)) return out;
  for (const m of text.matchAll(DIRECTIVE)) {
    const rules = ruleList(m[2].replace(/--.*$/, ''));
    const line = lineIndexAt(text, m.index ?? 0);
    if (m[1] === '-next-line') out.lines.set(line + 1, merge(out.lines.get(line + 1), rules));
    else if (m[1] === '-line') out.lines.set(line, merge(out.lines.get(line), rules));
    else out.file = merge(out.file, rules);
  }
  return out;
}

export function isSuppressed(s: Suppressions, ruleId: string, line: number): boolean {
  const covers = (x: Set<string> | 'all' | undefined) => x === 'all' || (x !== undefined && x.has(ruleId));
  return covers(s.file) || covers(s.lines.get(line));
}

