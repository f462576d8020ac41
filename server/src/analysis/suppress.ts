// Inline suppressions: `// wirelens-disable-next-line rule-a, rule-b` silences the next line,
// `// wirelens-disable-line rule` its own line, `/* wirelens-disable rule */` the whole file.
// No rule list means every rule.

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

export function lineOf(starts: number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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
  const starts = lineStarts(text);
  for (const m of text.matchAll(DIRECTIVE)) {
    const rules = ruleList(m[2].replace(/--.*$/, ''));
    const line = lineOf(starts, m.index ?? 0);
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

export { lineStarts };
