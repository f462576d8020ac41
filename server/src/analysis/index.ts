// The analysis core's entry points: text in, facts out. Knows nothing of LSP or the editor.
import type * as ts from 'typescript';
import { defaultConfig } from './config';
import { runRules } from './engine';
import { FactsCache } from './facts';
import { FileModel } from './fileModel';
import { parseFile, reparse, syntaxErrorCount } from './parse';
import { mayContainNetworkCode, networkHintAt } from './prefilter';
import { editedLineStarts, knownLineStarts, lineStarts } from './suppress';
import { DocumentOccurrences, knownOccurrences } from './textSearch';
import type { AnalysisConfig, FileAnalysis, NetworkCall } from './types';

export type { AnalysisConfig, FileAnalysis, Finding, NetworkCall, Severity, TextRange, Fix, TextEdit } from './types';
export { defaultConfig, resolveConfig } from './config';
export { explainCall, type Explanation } from './wire';
export { explanationToMarkdown, explanationToText, escapeMarkdown } from './explainText';
export { isAnalysableFile } from './parse';
export type { TextChange } from './parse';

export interface ModelResult {
  model?: FileModel;
  analysis: FileAnalysis;
}

function analyzeParsed(sourceFile: ts.SourceFile, config: AnalysisConfig, factsCache?: FactsCache): ModelResult {
  const model = new FileModel(sourceFile, factsCache);
  const { findings, errors } = runRules(model, sourceFile, config);
  return {
    model,
    analysis: {
      fileName: sourceFile.fileName,
      calls: model.calls,
      findings,
      skipped: false,
      syntaxErrors: syntaxErrorCount(sourceFile),
      ...(errors.length ? { internalErrors: errors } : {}),
    },
  };
}

function skipped(fileName: string): FileAnalysis {
  return { fileName, calls: [], findings: [], skipped: true, syntaxErrors: 0 };
}

/** The TypeScript parser threw (rather than our analysis of its tree). */
class ParserFailure extends Error {
  constructor(readonly reason: unknown) {
    super(reason instanceof Error ? reason.message : String(reason));
  }
}

function parseOrFail(fileName: string, text: string): ts.SourceFile {
  try {
    return parseFile(fileName, text);
  } catch (err) {
    throw new ParserFailure(err);
  }
}

/**
 * The result for a file the analysis could not get through. The TypeScript parser recurses once per
 * nesting level and runs out of stack around a thousand levels (`[[[[…` or `((((…`, generated
 * code), and TypeScript 5.9 fails an internal assertion on a few broken texts (`@dec await`): that
 * must cost the user this file's analysis, never the editor or the CLI run.
 */
function failed(fileName: string, err: unknown): FileAnalysis {
  const inParser = err instanceof ParserFailure;
  const cause = inParser ? err.reason : err;
  const overflow = cause instanceof RangeError && /call stack/i.test(cause.message);
  const message = cause instanceof Error ? cause.message : String(cause);
  const failure = inParser
    ? overflow
      ? 'the code is nested too deeply for the parser (it ran out of stack)'
      : `the TypeScript parser failed on this text (${message})`
    : `internal error: ${message}`;
  const detail = cause instanceof Error ? cause.stack ?? message : message;
  return { fileName, calls: [], findings: [], skipped: false, syntaxErrors: 0, failure, internalErrors: [`${inParser ? 'parser' : 'analysis'}: ${detail}`] };
}

/** Analyses one file's text: recognised calls and rule findings. Never throws: see `failure`. */
export function analyzeText(fileName: string, text: string, config: AnalysisConfig = defaultConfig()): FileAnalysis {
  try {
    if (!mayContainNetworkCode(text)) return skipped(fileName);
    return analyzeParsed(parseOrFail(fileName, text), config).analysis;
  } catch (err) {
    return failed(fileName, err);
  }
}

const clamp = (n: number, low: number, high: number) => (Number.isFinite(n) ? Math.min(Math.max(Math.trunc(n), low), high) : low);

/**
 * An open document: keeps the syntax tree between edits so each edit re-parses incrementally,
 * and caches the analysis per text version and configuration.
 */
export class AnalyzedDocument {
  private sourceFile?: ts.SourceFile;
  private cache?: { key: string; result: ModelResult };
  private version = 0;
  /** Edits since the last parse, folded into one span: [start, oldEnd) of the parsed text became [start, newEnd). */
  private pending?: { start: number; oldEnd: number; newEnd: number };
  /**
   * Where the pre-filter found its first hint in the current text, while no edit has come near it:
   * the same characters (and the one on each side, which `\b` looks at) are still there, so the
   * answer stands without scanning the file again.
   */
  private hint?: { start: number; end: number };
  /** The facts of the tree's top-level statements, reused for those each incremental parse keeps. */
  private factsCache = new FactsCache();
  /** Where the current text's lines start, kept through edits (messages and suppressions ask). */
  private lines?: number[];
  /** Where the literals of the text tests rules make occur in the current text, kept through edits. */
  private occurrences?: DocumentOccurrences;

  constructor(
    readonly fileName: string,
    private text: string,
  ) {}

  get currentText(): string {
    return this.text;
  }

  /** Replaces the whole text (the next analysis parses from scratch). */
  setText(newText: string): void {
    this.text = newText;
    this.sourceFile = undefined;
    this.factsCache = new FactsCache();
    this.lines = undefined;
    this.occurrences = undefined;
    this.pending = undefined;
    this.hint = undefined;
    this.version++;
  }

  /**
   * Applies one edit (offsets into the current text). Parsing waits for the next analysis, which
   * re-parses only the span the edits touched. `result` is the text after the edit when the caller
   * has it already (the LSP layer's own copy of the document), so the two share one string.
   */
  applyEdit(start: number, end: number, newText: string, result?: string): void {
    // Out-of-range offsets (a client out of sync) are clamped like LSP positions past the end are.
    start = clamp(start, 0, this.text.length);
    end = clamp(end, start, this.text.length);
    const length = this.text.length + newText.length - (end - start);
    this.text = result !== undefined && result.length === length ? result : this.text.slice(0, start) + newText + this.text.slice(end);
    if (this.lines) this.lines = editedLineStarts(this.lines, start, end, newText);
    this.occurrences?.edit(start, end, newText, this.text);
    this.version++;
    const hint = this.hint;
    if (hint) {
      // Untouched when the edit (and the character on each side the pattern looks at) is clear of it.
      if (end < hint.start - 1) this.hint = { start: hint.start + newText.length - (end - start), end: hint.end + newText.length - (end - start) };
      else if (start > hint.end) this.hint = hint;
      else this.hint = undefined;
    }
    if (!this.sourceFile) return;
    const delta = newText.length - (end - start);
    const p = this.pending;
    if (!p) {
      this.pending = { start, oldEnd: end, newEnd: end + delta };
      return;
    }
    const oldEnd = end >= p.newEnd ? p.oldEnd + (end - p.newEnd) : p.oldEnd;
    this.pending = { start: Math.min(p.start, start), oldEnd, newEnd: Math.max(p.newEnd, end) + delta };
  }

  private parsed(): ts.SourceFile {
    const previous = this.sourceFile;
    const pending = this.pending;
    // `ts.updateSourceFile` recycles the old tree's nodes: once asked, the old tree is never reused.
    this.sourceFile = undefined;
    this.pending = undefined;
    if (previous && !pending) this.sourceFile = previous;
    else if (previous && pending) {
      try {
        this.sourceFile = reparse(previous, this.text, [{ start: pending.start, end: pending.oldEnd, newText: this.text.slice(pending.start, pending.newEnd) }]);
      } catch {
        // An incremental re-parse that fails gets one full parse (which reports its own failure).
      }
    }
    this.sourceFile ??= parseOrFail(this.fileName, this.text);
    return this.sourceFile;
  }

  analyze(config: AnalysisConfig): ModelResult {
    const key = `${this.version}:${JSON.stringify(config)}`;
    if (this.cache?.key === key) return this.cache.result;
    let result: ModelResult;
    try {
      // The pre-filter applies to every version, not only to the first: an open document must say
      // what the CLI says about the same text (the tree is kept, and edits pile up, meanwhile).
      this.hint ??= networkHintAt(this.text);
      if (!this.hint) result = { analysis: skipped(this.fileName) };
      else {
        knownLineStarts(this.text, (this.lines ??= lineStarts(this.text)));
        knownOccurrences((this.occurrences ??= new DocumentOccurrences(this.text)));
        result = analyzeParsed(this.parsed(), config, this.factsCache);
      }
    } catch (err) {
      // A tree the analysis failed on (parents half set by the walk) starts over at the next edit.
      this.sourceFile = undefined;
      this.pending = undefined;
      this.factsCache = new FactsCache();
      result = { analysis: failed(this.fileName, err) };
    }
    this.cache = { key, result };
    return result;
  }

  /** The recognised call whose callee (or, failing that, whole expression) contains the offset. */
  callAt(offset: number, config: AnalysisConfig): NetworkCall | undefined {
    const { analysis } = this.analyze(config);
    const inCallee = analysis.calls.filter((c) => c.calleeRange.start <= offset && offset <= c.calleeRange.end);
    const candidates = inCallee.length ? inCallee : analysis.calls.filter((c) => c.range.start <= offset && offset <= c.range.end);
    // The innermost call wins.
    return candidates.sort((a, b) => a.range.end - a.range.start - (b.range.end - b.range.start))[0];
  }
}
