// Runs the rules over a file's model: severity settings, suppression comments, and isolation so a
// failing rule cannot take the others (or the editor) down with it.
import type * as ts from 'typescript';
import { RULES } from '../rules';
import { formatMessage, type RuleContext } from '../rules/createRule';
import type { FileModel } from './fileModel';
import { isSuppressed, lineIndexAt, parseSuppressions } from './suppress';
import type { AnalysisConfig, Finding } from './types';

const TEST_FILE = /(^|[\\/])(test|tests|__tests__|__mocks__|spec|e2e)[\\/]|\.(test|spec|e2e)\.[cm]?[jt]sx?$|(^|[\\/])test[-_.][^\\/]*$/i;

export function isTestFile(fileName: string): boolean {
  return TEST_FILE.test(fileName);
}

export interface RuleRun {
  findings: Finding[];
  /** Rules that threw, with their error (reported, never rethrown). */
  errors: string[];
}

export function runRules(model: FileModel, sourceFile: ts.SourceFile, config: AnalysisConfig): RuleRun {
  const findings: Finding[] = [];
  const errors: string[] = [];
  const text = sourceFile.text;
  const suppressions = parseSuppressions(text);
  // Line numbers are only needed to match suppression comments; most files have none.
  const anySuppression = suppressions.file !== undefined || suppressions.lines.size > 0;
  const testFile = isTestFile(sourceFile.fileName);
  for (const rule of RULES) {
    const setting = config.rules[rule.meta.id];
    if (setting === 'off') continue;
    const context: RuleContext<string> = {
      model,
      sourceFile,
      text,
      config,
      isTestFile: testFile,
      report(r) {
        if (anySuppression) {
          if (isSuppressed(suppressions, rule.meta.id, lineIndexAt(text, r.range.start))) return;
        }
        findings.push({
          ruleId: rule.meta.id,
          severity: setting ?? r.severity ?? rule.meta.severity,
          message: formatMessage(rule.meta.messages[r.messageId], r.data),
          range: r.range,
          lesson: rule.meta.lesson,
          related: r.related ?? [],
          fixes: r.fixes ?? [],
        });
      },
    };
    try {
      rule.check(context);
    } catch (err) {
      errors.push(`${rule.meta.id}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }
  findings.sort((a, b) => a.range.start - b.range.start || a.ruleId.localeCompare(b.ruleId));
  return { findings, errors };
}
