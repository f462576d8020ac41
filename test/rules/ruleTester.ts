// A RuleTester in the style of typescript-eslint's: valid code must stay silent; invalid code must
// report exactly the listed findings (line and column, 1-based), and the preferred fixes must
// produce `output`.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig } from '../../server/src/analysis/config';
import { analyzeText } from '../../server/src/analysis/index';
import type { AnalysisConfig, Finding, TextEdit } from '../../server/src/analysis/types';
import { RULE_IDS, ruleById } from '../../server/src/rules';

export interface ValidCase {
  name?: string;
  code: string;
  filename?: string;
  config?: Partial<AnalysisConfig>;
}

export interface ExpectedFinding {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  /** A message id of the rule, or a pattern the message must match. */
  messageId?: string;
  message?: RegExp;
  severity?: Finding['severity'];
  related?: number;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  /** Text after applying every finding's preferred fix; `null` = no preferred fix is offered. */
  output?: string | null;
}

function lineCol(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let lastStart = Infinity;
  for (const e of sorted) {
    assert.ok(e.end <= lastStart, 'fix edits overlap');
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}

function run(ruleId: string, c: ValidCase): Finding[] {
  const config: AnalysisConfig = { ...defaultConfig(), nodeMajor: 20, ...c.config };
  // Only this rule runs, at its own severity unless the case sets one.
  config.rules = { ...Object.fromEntries(RULE_IDS.filter((id) => id !== ruleId).map((id) => [id, 'off' as const])), ...(c.config?.rules ?? {}) };
  const result = analyzeText(c.filename ?? 'file.ts', c.code, config);
  assert.equal(result.internalErrors, undefined, result.internalErrors?.join('\n'));
  return result.findings.filter((f) => f.ruleId === ruleId);
}

export function ruleTester(ruleId: string, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  const rule = ruleById(ruleId);
  describe(ruleId, () => {
    it('exists', () => assert.ok(rule, `no rule ${ruleId}`));
    describe('valid', () => {
      cases.valid.forEach((c, i) => {
        it(c.name ?? `valid #${i + 1}`, () => {
          const findings = run(ruleId, c);
          assert.deepEqual(findings.map((f) => ({ ...lineCol(c.code, f.range.start), message: f.message })), []);
        });
      });
    });
    describe('invalid', () => {
      cases.invalid.forEach((c, i) => {
        it(c.name ?? `invalid #${i + 1}`, () => {
          const findings = run(ruleId, c);
          assert.equal(findings.length, c.errors.length, `expected ${c.errors.length} finding(s), got:\n${findings.map((f) => `${JSON.stringify(lineCol(c.code, f.range.start))} ${f.message}`).join('\n')}`);
          findings.forEach((f, j) => {
            const e = c.errors[j];
            const at = lineCol(c.code, f.range.start);
            assert.deepEqual(at, { line: e.line, column: e.column }, `finding ${j + 1} position`);
            if (e.endLine !== undefined || e.endColumn !== undefined) {
              const end = lineCol(c.code, f.range.end);
              assert.deepEqual(end, { line: e.endLine ?? at.line, column: e.endColumn }, `finding ${j + 1} end`);
            }
            if (e.messageId) {
              const template = (rule!.meta.messages as Record<string, string>)[e.messageId];
              assert.ok(template, `unknown messageId ${e.messageId}`);
              const pattern = new RegExp('^' + template.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\\{\\\{\s*\w+\s*\\\}\\\}/g, '.*?') + '$');
              assert.match(f.message, pattern);
            }
            if (e.message) assert.match(f.message, e.message);
            if (e.severity) assert.equal(f.severity, e.severity);
            if (e.related !== undefined) assert.equal(f.related.length, e.related);
            assert.equal(f.lesson, rule!.meta.lesson);
          });
          if (c.output !== undefined) {
            const preferred = findings.flatMap((f) => f.fixes.filter((x) => x.preferred).slice(0, 1));
            if (c.output === null) {
              assert.equal(preferred.length, 0, 'no preferred fix expected');
            } else {
              assert.ok(preferred.length > 0, 'a preferred fix is expected');
              assert.equal(applyEdits(c.code, preferred.flatMap((x) => x.edits)), c.output);
              // The fixed code no longer triggers the rule.
              assert.deepEqual(run(ruleId, { ...c, code: c.output }).map((f) => lineCol(c.output!, f.range.start)), []);
            }
          }
        });
      });
    });
  });
}
