// The rule contract, in the spirit of typescript-eslint's `createRule`: a rule is its metadata
// (id, lesson, default severity, title, message templates) plus a check that reads the shared
// analysis of a file and reports findings.
import type * as ts from 'typescript';
import type { FileModel } from '../analysis/fileModel';
import type { AnalysisConfig, Fix, RelatedLocation, Severity, TextRange } from '../analysis/types';

export interface RuleMeta<MessageIds extends string = string> {
  id: string;
  /** Lesson id from server/src/lessons/catalog.ts. */
  lesson: string;
  severity: Severity;
  title: string;
  /** One paragraph for the rule reference and SARIF help. */
  description: string;
  /** Message templates; `{{name}}` placeholders are filled from the report's data. */
  messages: Record<MessageIds, string>;
  /** Whether the rule offers a mechanical fix. */
  fixable: boolean;
}

export interface Report<MessageIds extends string> {
  messageId: MessageIds;
  data?: Record<string, string | number>;
  range: TextRange;
  /** Overrides the default severity (e.g. Information when facts outside the file decide). */
  severity?: Severity;
  related?: RelatedLocation[];
  fixes?: Fix[];
}

export interface RuleContext<MessageIds extends string> {
  readonly model: FileModel;
  readonly sourceFile: ts.SourceFile;
  readonly text: string;
  readonly config: AnalysisConfig;
  /** True for test files (`*.test.*`, `*.spec.*`, `test/`, `__tests__/`). */
  readonly isTestFile: boolean;
  report(report: Report<MessageIds>): void;
}

export interface Rule<MessageIds extends string = string> {
  meta: RuleMeta<MessageIds>;
  check(context: RuleContext<MessageIds>): void;
}

export function createRule<MessageIds extends string>(rule: Rule<MessageIds>): Rule<MessageIds> {
  return rule;
}

export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key]) : whole));
}
