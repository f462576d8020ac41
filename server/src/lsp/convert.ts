// Translation between analysis facts (UTF-16 offsets, our severities) and LSP types.
import { DiagnosticSeverity, type Diagnostic, type Range, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Finding, Severity, TextEdit as OffsetEdit, TextRange } from '../analysis/types';

export const SOURCE = 'wirelens';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toRange(doc: TextDocument, r: TextRange): Range {
  return { start: doc.positionAt(r.start), end: doc.positionAt(r.end) };
}

export function toTextEdit(doc: TextDocument, e: OffsetEdit): TextEdit {
  return { range: toRange(doc, e), newText: e.newText };
}

/** What a diagnostic carries for its code actions: the rule and its lesson. */
export interface DiagnosticData {
  rule: string;
  lesson: string;
}

/** A finding's fixes as LSP edits. */
export type Fixes = Array<{ title: string; edits: TextEdit[]; preferred: boolean }>;

export function toFixes(doc: TextDocument, f: Finding): Fixes {
  return f.fixes.map((fix) => ({ title: fix.title, edits: fix.edits.map((e) => toTextEdit(doc, e)), preferred: fix.preferred === true }));
}

/**
 * The diagnostic for a finding. Its fixes are not in `data`: code actions take them from the analysis
 * of the document's current version, which the server keeps, so every diagnostics answer (a third of it
 * was fixes) is smaller on every edit.
 */
export function toDiagnostic(doc: TextDocument, f: Finding, lessonUrl: (lesson: string) => string): Diagnostic & { data: DiagnosticData } {
  return {
    range: toRange(doc, f.range),
    severity: SEVERITY[f.severity],
    code: f.ruleId,
    codeDescription: { href: lessonUrl(f.lesson) },
    source: SOURCE,
    message: f.message,
    relatedInformation: f.related.map((r) => ({ location: { uri: doc.uri, range: toRange(doc, r.range) }, message: r.message })),
    data: { rule: f.ruleId, lesson: f.lesson },
  };
}
