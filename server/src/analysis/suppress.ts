// Inline suppressions: `// wirelens-disable-next-line rule-a, rule-b` silences the next line,
// `// wirelens-disable-line rule` its own line, `/* wirelens-disable rule */` the whole file.
// No rule list means every rule.
import { lowerBound } from './walk';

export interface Suppressions {
  file: Set<string> | 'all' | undefined;
  lines: Map<number, Set<string> | 'all'>;
}

const DIRECTIVE = /(?:\/\/|\/\*)\s*wirelens-disable(-next-line|-line)?\b([^\n*]*)/g;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The line starts of the last text asked about: the suppressions, the engine and rules share them. */
let lastLines: { text: string; starts: number[] } | undefined;

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
  if (!text.includes('wirelens-disable')) return out;
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

