// Glob patterns for the `exclude` setting, matched against `/`-separated paths relative to the
// folder holding the configuration. The semantics follow .gitignore, which users already know:
//   - a pattern without a `/` (other than a trailing one) matches at any depth: `*.gen.ts`, `dist`
//   - a pattern with a `/` is anchored to the configuration folder: `src/legacy/**`, `/scripts`
//   - a pattern that matches a folder excludes everything below it: `dist`, `vendor/`
//   - `*` and `?` stay within one path segment, `**` spans segments, `[abc]`/`[!abc]` are
//     character classes, `{a,b}` alternatives (nesting allowed), `\x` escapes x.
// Invalid patterns (an unclosed `[` or `{`) throw, so the caller can name the bad setting.

function escapeRegExp(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** Translates one pattern body (no anchoring decisions) into a regular expression source. */
function translate(pattern: string): string {
  let out = '';
  let i = 0;
  const braces: number[] = [];
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      if (i + 1 >= pattern.length) throw new Error('ends with an unfinished escape "\\"');
      out += escapeRegExp(pattern[i + 1]);
      i += 2;
      continue;
    }
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        const atSegmentStart = i === 0 || pattern[i - 1] === '/';
        let j = i;
        while (pattern[j] === '*') j++;
        const atSegmentEnd = j === pattern.length || pattern[j] === '/';
        if (atSegmentStart && atSegmentEnd) {
          if (pattern[j] === '/') {
            out += '(?:[^/]*/)*'; // `**/`: zero or more whole segments
            i = j + 1;
          } else {
            out += '.*'; // trailing `**`: everything below
            i = j;
          }
          continue;
        }
        // `a**b` inside a segment behaves like `*`.
        out += '[^/]*';
        i = j;
        continue;
      }
      out += '[^/]*';
      i++;
      continue;
    }
    if (c === '?') {
      out += '[^/]';
      i++;
      continue;
    }
    if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close < 0) throw new Error('has an unclosed "["');
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      const cls = body.replace(/[\\\]^]/g, (x) => `\\${x}`);
      out += negate ? `(?!/)[^${cls}]` : `[${cls}]`;
      i = close + 1;
      continue;
    }
    if (c === '{') {
      braces.push(i);
      out += '(?:';
      i++;
      continue;
    }
    if (c === ',' && braces.length > 0) {
      out += '|';
      i++;
      continue;
    }
    if (c === '}' && braces.length > 0) {
      braces.pop();
      out += ')';
      i++;
      continue;
    }
    out += escapeRegExp(c);
    i++;
  }
  if (braces.length > 0) throw new Error('has an unclosed "{"');
  return out;
}

/** Compiles a pattern into a test on relative `/`-separated paths. */
export function compileGlob(pattern: string): (relativePath: string) => boolean {
  let p = pattern.trim();
  if (p === '') throw new Error('is empty');
  if (p.startsWith('./')) p = p.slice(2);
  const anchoredByLeadingSlash = p.startsWith('/');
  if (anchoredByLeadingSlash) p = p.slice(1);
  if (p.endsWith('/')) p = p.slice(0, -1);
  if (p === '') throw new Error('matches nothing');
  const anchored = anchoredByLeadingSlash || p.includes('/');
  const body = translate(p);
  // Matching the path itself or any folder above it: `dist` excludes `dist/a/b.js`.
  const re = new RegExp(`^${anchored ? '' : '(?:[^/]+/)*'}${body}(?:/.*)?$`);
  return (relativePath) => re.test(relativePath);
}

/** One matcher for a list of patterns; bad patterns are reported and skipped. */
export function compileGlobs(patterns: readonly string[], onError: (pattern: string, problem: string) => void): (relativePath: string) => boolean {
  const tests: Array<(p: string) => boolean> = [];
  for (const pattern of patterns) {
    try {
      tests.push(compileGlob(pattern));
    } catch (err) {
      onError(pattern, err instanceof Error ? err.message : String(err));
    }
  }
  return (relativePath) => tests.some((t) => t(relativePath));
}
