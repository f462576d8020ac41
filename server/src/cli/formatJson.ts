// `--format json`: exactly one JSON array, one object per finding, in a shape other tools rely on:
//   { file, line, column, endLine, endColumn, rule, severity, message, lesson }
// Lines and columns are 1-based; columns count UTF-16 code units (as LSP and VS Code do);
// endLine/endColumn point just past the finding (exclusive), like ESLint's. `lesson` is the
// lesson id (media/lessons/<id>.md; the site URL is `lessonsBaseUrl` + id + `.html`).
import type { Severity } from '../analysis/index';
import { oneLine, type FileReport } from './report';

export interface JsonFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
  lesson: string;
}

export function toJsonFindings(reports: readonly FileReport[]): JsonFinding[] {
  const out: JsonFinding[] = [];
  for (const r of reports) {
    for (const { finding, start, end } of r.findings) {
      // Key order is part of the shape: keep it as documented.
      out.push({
        file: r.file.display,
        line: start.line,
        column: start.column,
        endLine: end.line,
        endColumn: end.column,
        rule: finding.ruleId,
        severity: finding.severity,
        message: oneLine(finding.message),
        lesson: finding.lesson,
      });
    }
  }
  return out;
}

export function formatJson(reports: readonly FileReport[]): string {
  return `${JSON.stringify(toJsonFindings(reports), null, 2)}\n`;
}
