// Parsing with the TypeScript compiler API: whole files, and incremental re-parses on edits.
import ts = require('typescript');
import { reparseStatements } from './statementReparse';

// The compiler's exports are getters (a call per read); bind the functions used here once.
const { createSourceFile, createTextChangeRange, createTextSpan, updateSourceFile } = ts;

const SCRIPT_KINDS: Record<string, ts.ScriptKind> = {
  '.ts': ts.ScriptKind.TS,
  '.mts': ts.ScriptKind.TS,
  '.cts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.jsx': ts.ScriptKind.JSX,
};

export const ANALYSABLE_EXTENSIONS: readonly string[] = Object.keys(SCRIPT_KINDS);

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot < 0 ? '' : fileName.slice(dot).toLowerCase();
}

export function isAnalysableFile(fileName: string): boolean {
  return extensionOf(fileName) in SCRIPT_KINDS && !fileName.endsWith('.d.ts');
}

export function scriptKindOf(fileName: string): ts.ScriptKind {
  return SCRIPT_KINDS[extensionOf(fileName)] ?? ts.ScriptKind.TS;
}

/**
 * Parses a whole file. Syntax errors do not stop the parse: the tree covers what parsed.
 * Parent pointers are set by the facts walk (facts.ts), which visits every node anyway;
 * asking the parser for them would cost a second full traversal.
 */
export function parseFile(fileName: string, text: string): ts.SourceFile {
  return createSourceFile(fileName, text, PARSE_OPTIONS, /*setParentNodes*/ false, scriptKindOf(fileName));
}

/**
 * JSDoc is not parsed: nothing in the analysis reads it, skipping it is faster, and TypeScript 5.9.3's
 * JSDoc scanner loops forever on an unterminated `/**` comment ending in a hyphenated word at the end
 * of the file (`x;\n/** ab-cd`; microsoft/TypeScript#63580, found by our fuzzer, seed 485036197
 * case 6831). `ts.updateSourceFile` keeps the mode of the tree it updates.
 */
export const PARSE_OPTIONS: ts.CreateSourceFileOptions = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };

export interface TextChange {
  /** Offsets into the previous text. */
  start: number;
  end: number;
  newText: string;
}

/**
 * Re-parses after an edit, reusing the unchanged parts of the previous tree: the top-level statements
 * the edit touched (or, inside a long one, the statements or members around it) are parsed on their
 * own where that gives what a fresh parse would (`statementReparse.ts`), else `ts.updateSourceFile` re-parses (a 10,000-line file in a few ms
 * instead of ~30 ms).
 */
export function reparse(previous: ts.SourceFile, newText: string, changes: readonly TextChange[]): ts.SourceFile {
  if (changes.length !== 1) return parseFile(previous.fileName, newText);
  const { start, end } = changes[0];
  if (start >= 0 && end <= previous.text.length && start <= end) {
    const statementwise = reparseStatements(previous, newText, changes[0], PARSE_OPTIONS);
    if (statementwise) return statementwise;
  }
  const newLength = end - start + (newText.length - previous.text.length);
  if (start < 0 || end > previous.text.length || newLength < 0) return parseFile(previous.fileName, newText);
  // A change over much of the file (edits far apart folded into one, a large paste) parses faster from
  // scratch: the incremental parser looks each reusable node up with a scan of the file's statements,
  // which over a 5 MB bundle with a span of 4 MB took 6 s against 1 s for a full parse.
  if (Math.max(end - start, newLength) * 4 > previous.text.length) return parseFile(previous.fileName, newText);
  const range = createTextChangeRange(createTextSpan(start, end - start), newLength);
  return updateSourceFile(previous, newText, range);
}

export function syntaxErrorCount(sourceFile: ts.SourceFile): number {
  return (sourceFile as unknown as { parseDiagnostics?: readonly unknown[] }).parseDiagnostics?.length ?? 0;
}
