// Builds the editor-latency documents: real corpus code, concatenated whole file by whole file
// until the target line count, so the server sees code nobody here wrote, with real networking
// calls to hover. Deterministic: the same corpus gives the same documents.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from '../corpus.mjs';

const ts = createRequire(join(repoRoot, 'package.json'))('typescript');

function parsesCleanly(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  return (sf.parseDiagnostics?.length ?? 0) === 0;
}

/**
 * JavaScript corpus files worth putting in an editor document: hand-written-looking (no minified or
 * generated one-line files), parse cleanly, and contain at least one networking call the analysis
 * recognises. `analysis` is the bundled analysis module, or undefined (then a text match stands in).
 */
export function editorCandidates(corpusFiles, analysis) {
  const out = [];
  for (const { path } of corpusFiles) {
    if (!/\.(js|cjs|mjs)$/.test(path)) continue;
    const text = readFileSync(path, 'utf8');
    if (text.startsWith('#!')) continue;
    const lines = text.split('\n');
    if (lines.length < 20 || lines.some((l) => l.length > 300)) continue;
    const hasCalls = analysis ? analysis.analyzeText(path, text, analysis.defaultConfig()).calls.length > 0 : /\b(fetch|https?\.(request|get))\s*\(/.test(text);
    if (!hasCalls || !parsesCleanly(path, text)) continue;
    out.push({ path, text, lines: lines.length });
  }
  return out;
}

/**
 * Concatenates candidates (each followed by a `;` line, so no file's last statement runs into the
 * next file's first) until exactly `targetLines` lines; the few left over are comment lines.
 */
export function buildDocument(candidates, targetLines) {
  const parts = [];
  const sources = [];
  let lines = 0;
  for (const c of candidates) {
    const body = c.text.endsWith('\n') ? c.text.slice(0, -1) : c.text;
    const n = body.split('\n').length + 1;
    if (n > targetLines / 4 || lines + n > targetLines) continue;
    parts.push(`${body}\n;`);
    sources.push(c.path);
    lines += n;
    if (targetLines - lines < 5) break;
  }
  while (lines < targetLines) {
    parts.push('// (padding to the target line count)');
    lines++;
  }
  return { text: parts.join('\n') + '\n', lines, sources };
}

/** Offset → LSP position (UTF-16 code units, which is what JavaScript string offsets are). */
export function lineStarts(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function positionAt(starts, offset) {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

/** Offsets to hover: the middle of each recognised call's callee. */
export function hoverTargets(text, analysis) {
  if (analysis) {
    return analysis.analyzeText('editor.js', text, analysis.defaultConfig()).calls.map((c) => Math.floor((c.calleeRange.start + c.calleeRange.end) / 2));
  }
  return [...text.matchAll(/\b(fetch|https?\.(request|get))\s*\(/g)].map((m) => m.index + 1);
}

const isLetter = (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * Offsets for single-character edits, spread through the file. `whitespace`: right after a space that
 * is not at a line end (an inserted space there never splits a token). `identifier`: right after a
 * letter, where typing a character changes a word of the code (a name, a keyword, a string's text):
 * what typing mostly is, and the edit that can change what the analysis finds.
 */
export function editPositions(text, count, seed = 1, kind = 'whitespace') {
  const candidates = [];
  for (let i = 1; i < text.length; i++) {
    const before = text.charCodeAt(i - 1);
    if (kind === 'whitespace' ? before === 32 && text.charCodeAt(i) !== 10 : isLetter(before)) candidates.push(i);
  }
  // A fixed linear congruential sequence: positions spread through the file, the same every run.
  let state = seed;
  const out = [];
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out.push(candidates[state % candidates.length]);
  }
  return out;
}

/**
 * Single-character edits, each undone by the next, so the document returns to its text every two
 * edits: a space inserted between tokens and deleted again, alternating with a letter typed into a
 * word and deleted again (`kind` says which, so each is reported on its own). LSP ranges.
 */
export function* singleCharEdits(text, count) {
  const starts = lineStarts(text);
  const pairs = Math.ceil(count / 2);
  const spaces = editPositions(text, Math.ceil(pairs / 2), 1, 'whitespace');
  const letters = editPositions(text, Math.floor(pairs / 2), 7, 'identifier');
  for (let i = 0; i < pairs; i++) {
    const kind = i % 2 === 0 ? 'whitespace' : 'identifier';
    const offset = kind === 'whitespace' ? spaces[i >> 1] : letters[i >> 1];
    const at = positionAt(starts, offset);
    yield { range: { start: at, end: at }, text: kind === 'whitespace' ? ' ' : 'x', kind };
    yield { range: { start: at, end: { line: at.line, character: at.character + 1 } }, text: '', kind };
  }
}
