// What every analysis result must satisfy, whatever the input: ranges inside the text, findings in
// order, fixes whose edits fit and do not overlap, lessons that exist, hovers that render, and the only
// acceptable failures are the TypeScript parser's own (stack overflow, assertions). Plus the time
// ceiling: an analysis may cost at most RATIO × a plain parse of the same text (measured now, on this
// machine) + a slack of SLACK_MS, or of SLACK_REFERENCES analyses of a reference file when the machine
// is busy (measured now too: a loaded CI box slows everything down alike).
import ts = require('typescript');
import { analyzeText, AnalyzedDocument, explainCall, explanationToMarkdown, explanationToText, type AnalysisConfig, type FileAnalysis, type TextRange } from '../../../server/src/analysis/index';
import { scriptKindOf } from '../../../server/src/analysis/parse';
import { LESSONS } from '../../../server/src/lessons/catalog';
import { RULE_IDS } from '../../../server/src/rules/index';
import type { FuzzCase } from './mutations';

export const RATIO = 50;
export const SLACK_MS = 150;
export const SLACK_REFERENCES = 40;

/** The reference workload: one real file, analysed; its time says how fast the machine is right now. */
let referenceText = "import axios from 'axios';\nexport const users = () => axios.get('https://api.example.com/users');\n";
export function useReference(text: string): void {
  referenceText = text;
}
function referenceMs(): number {
  const t = performance.now();
  analyzeText('reference.ts', referenceText);
  return performance.now() - t;
}

const LESSON_IDS = new Set(LESSONS.map((l) => l.id));
const RULES = new Set(RULE_IDS);
const SEVERITIES = new Set(['error', 'warning', 'info', 'hint']);
/** Failures of the TypeScript parser itself (stack overflow on deep nesting, its own assertions): reported, accepted. */
export const PARSER_FAILURE = /nested too deeply for the parser|the TypeScript parser failed/;

export function problemsOf(text: string, a: FileAnalysis): string[] {
  const problems: string[] = [];
  const len = text.length;
  const range = (r: TextRange | undefined, what: string) => {
    if (!r || !Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 0 || r.start > r.end || r.end > len) {
      problems.push(`${what}: range ${JSON.stringify(r)} outside [0, ${len}]`);
    }
  };
  if (!a || typeof a !== 'object' || !Array.isArray(a.calls) || !Array.isArray(a.findings) || typeof a.skipped !== 'boolean') return ['malformed FileAnalysis'];
  if (!Number.isInteger(a.syntaxErrors) || a.syntaxErrors < 0) problems.push(`syntaxErrors ${a.syntaxErrors}`);
  if (a.failure !== undefined) {
    if (!PARSER_FAILURE.test(a.failure)) problems.push(`analysis failed: ${a.failure}\n${a.internalErrors?.join('\n')}`);
    if (a.calls.length || a.findings.length) problems.push('a failed analysis still reports calls or findings');
    return problems;
  }
  if (a.internalErrors?.length) problems.push(`internal errors: ${a.internalErrors.join('\n')}`);
  if (a.skipped && (a.calls.length || a.findings.length)) problems.push('a skipped file reports calls or findings');
  a.calls.forEach((c, i) => {
    const at = `call ${i} (${c.api})`;
    if (c.index !== i) problems.push(`${at}: index ${c.index}`);
    if (typeof c.api !== 'string' || !c.api) problems.push(`${at}: no api name`);
    range(c.range, at);
    range(c.calleeRange, `${at} callee`);
    if (c.calleeRange.start < c.range.start || c.calleeRange.end > c.range.end) problems.push(`${at}: callee outside the call`);
    if (c.optionsRange) range(c.optionsRange, `${at} options`);
    for (const o of c.options) {
      range(o.range, `${at} option ${o.key}`);
      range(o.valueRange, `${at} option ${o.key} value`);
    }
    if (!Number.isInteger(c.argsEnd) || c.argsEnd < 0 || c.argsEnd > len) problems.push(`${at}: argsEnd ${c.argsEnd}`);
    if (c.createdBy !== undefined && (!Number.isInteger(c.createdBy) || c.createdBy < 0 || c.createdBy >= a.calls.length || c.createdBy === i)) problems.push(`${at}: createdBy ${c.createdBy}`);
  });
  a.findings.forEach((f, i) => {
    const at = `finding ${i} (${f.ruleId})`;
    if (!RULES.has(f.ruleId)) problems.push(`${at}: unknown rule`);
    if (!SEVERITIES.has(f.severity)) problems.push(`${at}: severity ${f.severity}`);
    if (typeof f.message !== 'string' || !f.message.trim() || /\{\{/.test(f.message)) problems.push(`${at}: message ${JSON.stringify(f.message)}`);
    if (!LESSON_IDS.has(f.lesson)) problems.push(`${at}: lesson ${f.lesson}`);
    range(f.range, at);
    for (const r of f.related) {
      range(r.range, `${at} related`);
      if (!r.message) problems.push(`${at}: related without message`);
    }
    for (const fix of f.fixes) {
      if (!fix.title) problems.push(`${at}: fix without title`);
      fix.edits.forEach((e) => range(e, `${at} fix "${fix.title}" edit`));
      const sorted = [...fix.edits].sort((x, y) => x.start - y.start || x.end - y.end);
      for (let k = 1; k < sorted.length; k++) if (sorted[k]!.start < sorted[k - 1]!.end) problems.push(`${at}: fix "${fix.title}" has overlapping edits`);
    }
    const prev = a.findings[i - 1];
    if (prev && (prev.range.start > f.range.start || (prev.range.start === f.range.start && prev.ruleId.localeCompare(f.ruleId) > 0))) problems.push(`${at}: findings not sorted`);
  });
  return problems;
}

/** Hover and terminal renderings of every call: must not throw, and no raw `<` from the workspace. */
export function hoverProblems(a: FileAnalysis, config: AnalysisConfig, limit = 25): string[] {
  const problems: string[] = [];
  for (const call of a.calls.slice(0, limit)) {
    const e = explainCall(call, config);
    const md = explanationToMarkdown(e, { rttMs: config.rttMs, lessonLink: 'command:wirelens.openLesson?%5B%22x%22%5D' });
    const text = explanationToText(e, config.rttMs);
    if (typeof md !== 'string' || typeof text !== 'string') problems.push(`hover of ${call.api} is not text`);
    else if (/(^|[^\\])</.test(md)) problems.push(`hover of ${call.api} has an unescaped '<': ${md.slice(0, 300)}`);
  }
  return problems;
}

/** Applies the first fix of the first fixable finding and re-analyses: the result must stay well-formed. */
export function fixProblems(fileName: string, text: string, a: FileAnalysis, config: AnalysisConfig): string[] {
  const problems: string[] = [];
  for (const f of a.findings.filter((x) => x.fixes.length).slice(0, 1)) {
    let fixed = text;
    for (const e of [...f.fixes[0]!.edits].sort((x, y) => y.start - x.start)) fixed = fixed.slice(0, e.start) + e.newText + fixed.slice(e.end);
    const after = analyzeText(fileName, fixed, config);
    for (const p of problemsOf(fixed, after)) problems.push(`after applying "${f.fixes[0]!.title}": ${p}`);
  }
  return problems;
}

function parseMs(fileName: string, text: string): number {
  let best = Infinity;
  // Twice (the best of two) unless one parse already takes a second: then once is a fair baseline.
  for (let i = 0; i < 2 && (i === 0 || best < 1000); i++) {
    const t = performance.now();
    try {
      ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, false, scriptKindOf(fileName));
    } catch {
      // the parser's own stack overflow: its time until then is the baseline
    }
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

export interface Timing {
  ms: number;
  parseMs?: number;
}

/**
 * The time ceiling. Cheap when the analysis is fast: the baseline parse is measured only when the
 * analysis took more than SLACK_MS (under it, the ceiling holds whatever the parse costs). A slow
 * run is measured again, up to three times, with the parse and the reference beside it, so a GC
 * pause or a busy machine does not fail the case while a real blow-up (n², 2ⁿ) still does.
 */
export function timeProblems(fileName: string, text: string, first: number, rerun: () => number, what: string): { problems: string[]; timing: Timing } {
  if (first <= SLACK_MS) return { problems: [], timing: { ms: first } };
  let ms = first;
  let parse = Infinity;
  let reference = Infinity;
  const ceiling = () => RATIO * parse + Math.max(SLACK_MS, SLACK_REFERENCES * reference);
  for (let attempt = 0; attempt < 3; attempt++) {
    parse = Math.min(parse, parseMs(fileName, text));
    reference = Math.min(reference, referenceMs());
    if (ms <= ceiling()) break;
    ms = Math.min(ms, rerun());
    if (ms <= ceiling()) break;
  }
  const problems = ms > ceiling() ? [`${what} took ${ms.toFixed(0)} ms: over ${RATIO} × a parse of the same text (${parse.toFixed(1)} ms) + ${Math.max(SLACK_MS, SLACK_REFERENCES * reference).toFixed(0)} ms`] : [];
  return { problems, timing: { ms, parseMs: parse } };
}

/** What must be the same whether a text was reached by incremental edits or analysed from scratch. */
export function signature(a: FileAnalysis): string {
  const calls = a.calls.map((c) => `${c.api}@${c.range.start}-${c.range.end}/${c.calleeRange.start} ${c.role} ${c.scheme}://${c.host}:${c.port} [${c.options.map((o) => `${o.key}=${JSON.stringify(o.value)}`).join(',')}] ${c.optionsUnknown} ${c.createdBy} ${c.inRequestHandler}`);
  const findings = a.findings.map((f) => `${f.ruleId}@${f.range.start}-${f.range.end} ${f.severity} ${f.message} ${JSON.stringify(f.fixes)}`);
  return [...calls, '--', ...findings].join('\n');
}

export interface CaseOutcome {
  problems: string[];
  timings: Timing[];
  failedToParse: boolean;
  calls: number;
  findings: number;
}

export function runCase(c: FuzzCase): CaseOutcome {
  const problems: string[] = [];
  const timings: Timing[] = [];
  let failedToParse = false;
  let calls = 0;
  let findings = 0;
  const note = (text: string, a: FileAnalysis) => {
    problems.push(...problemsOf(text, a));
    if (a.failure) failedToParse = true;
    calls += a.calls.length;
    findings += a.findings.length;
  };
  if (!c.edits) {
    let t = performance.now();
    const a = analyzeText(c.fileName, c.text, c.config);
    const ms = performance.now() - t;
    note(c.text, a);
    const timed = timeProblems(c.fileName, c.text, ms, () => {
      t = performance.now();
      analyzeText(c.fileName, c.text, c.config);
      return performance.now() - t;
    }, 'analyzeText');
    problems.push(...timed.problems, ...hoverProblems(a, c.config), ...fixProblems(c.fileName, c.text, a, c.config));
    timings.push(timed.timing);
    return { problems, timings, failedToParse, calls, findings };
  }
  const doc = new AnalyzedDocument(c.fileName, c.text);
  note(c.text, doc.analyze(c.config).analysis);
  c.edits.forEach((e, i) => {
    doc.applyEdit(e.start, e.end, e.newText);
    if (!e.analyze) return;
    const t = performance.now();
    const { analysis } = doc.analyze(c.config);
    const ms = performance.now() - t;
    const text = doc.currentText;
    note(text, analysis);
    const timed = timeProblems(c.fileName, text, ms, () => {
      // re-measure on a fresh document holding the same text (the cache would answer at once)
      const again = new AnalyzedDocument(c.fileName, text);
      const t2 = performance.now();
      again.analyze(c.config);
      return performance.now() - t2;
    }, `analysis after edit ${i}`);
    problems.push(...timed.problems);
    timings.push(timed.timing);
  });
  const finalText = doc.currentText;
  if (finalText !== c.finalText) {
    problems.push(`the document's text after the edits differs from the expected text (length ${finalText.length} vs ${c.finalText?.length})`);
    return { problems, timings, failedToParse, calls, findings };
  }
  // The incremental result must equal an analysis from scratch of the same text.
  const incremental = doc.analyze(c.config).analysis;
  const fresh = analyzeText(c.fileName, finalText, c.config);
  note(finalText, fresh);
  if (!incremental.failure && !fresh.failure) {
    const a = signature(incremental);
    const b = signature(fresh);
    if (a !== b) problems.push(`incremental analysis differs from a fresh one:\n  incremental: ${a.slice(0, 1500)}\n  fresh:       ${b.slice(0, 1500)}`);
  }
  // Hover lookups at a few offsets: a call found must contain the offset.
  for (let k = 0; k < 5; k++) {
    const offset = Math.floor(((k + 0.5) / 5) * (finalText.length + 1));
    const call = doc.callAt(offset, c.config);
    if (call && !(call.range.start <= offset && offset <= call.range.end)) problems.push(`callAt(${offset}) returned ${call.api} at ${call.range.start}-${call.range.end}`);
  }
  problems.push(...hoverProblems(incremental, c.config));
  return { problems, timings, failedToParse, calls, findings };
}
