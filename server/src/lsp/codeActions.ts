// Code actions for Wirelens diagnostics: the rule's mechanical fixes, then the lesson, then the
// suppression comments; "Turn off this rule" when the client can write settings.
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { lessonById } from '../lessons/catalog';
import { ruleById } from '../rules';
import { OPEN_LESSON_COMMAND } from '../lessons/links';
import { SOURCE, type DiagnosticData, type Fixes } from './convert';

export const TURN_OFF_RULE_COMMAND = 'wirelens.turnOffRule';

function isData(x: unknown): x is DiagnosticData {
  return !!x && typeof x === 'object' && typeof (x as DiagnosticData).rule === 'string' && typeof (x as DiagnosticData).lesson === 'string';
}

function lineIndent(doc: TextDocument, line: number): string {
  const text = doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return /^[ \t]*/.exec(text)?.[0] ?? '';
}

/** Line where a file-level directive goes: after a shebang, else the first line. */
function headerLine(doc: TextDocument): number {
  return doc.getText({ start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }) === '#!' ? 1 : 0;
}

export interface CodeActionOptions {
  /** The client implements `wirelens.turnOffRule` (writes the user's settings). */
  canTurnOffRules: boolean;
  /** Fixes of the current analysis for a rule's finding at a range (none when it has no such finding). */
  currentFixes(rule: string, range: Diagnostic['range']): Fixes | undefined;
}

function lessonForRule(rule: string): string {
  return ruleById(rule)?.meta.lesson ?? '';
}

export function codeActionsFor(doc: TextDocument, diagnostics: readonly Diagnostic[], opts: CodeActionOptions): CodeAction[] {
  const fixes: CodeAction[] = [];
  const others: CodeAction[] = [];
  const seenRules = new Set<string>();
  for (const d of diagnostics) {
    const rule = typeof d.code === 'string' ? d.code : isData(d.data) ? d.data.rule : undefined;
    // Clients that rebuild diagnostics may drop `source`; the rule id still identifies ours.
    if (!rule || (d.source !== undefined && d.source !== SOURCE) || !ruleById(rule)) continue;
    // The fixes are the current analysis's: a diagnostic from an older version whose finding moved gets none.
    const fixList = opts.currentFixes(rule, d.range) ?? [];
    // Some clients drop `data`: the rule id says which lesson.
    const data: DiagnosticData = isData(d.data) ? { ...d.data } : { rule, lesson: '' };
    if (!data.lesson) data.lesson = lessonForRule(rule);
    const edit = (edits: TextEdit[]) => ({ changes: { [doc.uri]: edits } });
    {
      for (const fix of fixList) {
        fixes.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: fix.preferred, edit: edit(fix.edits) });
      }
    }
    if (seenRules.has(data.rule)) continue;
    seenRules.add(data.rule);
    const lesson = lessonById(data.lesson);
    others.push({
      title: `Open lesson: ${lesson?.title ?? data.lesson}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      command: { title: 'Open lesson', command: OPEN_LESSON_COMMAND, arguments: [data.lesson, data.rule] },
    });
    const line = d.range.start.line;
    others.push({
      title: `Disable ${data.rule} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: edit([{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText: `${lineIndent(doc, line)}// wirelens-disable-next-line ${data.rule}\n` }]),
    });
    const top = headerLine(doc);
    others.push({
      title: `Disable ${data.rule} in this file`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: edit([{ range: { start: { line: top, character: 0 }, end: { line: top, character: 0 } }, newText: `/* wirelens-disable ${data.rule} */\n` }]),
    });
    if (opts.canTurnOffRules) {
      others.push({
        title: `Turn off ${data.rule} in settings`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        command: { title: 'Turn off rule', command: TURN_OFF_RULE_COMMAND, arguments: [data.rule] },
      });
    }
  }
  return [...fixes, ...others];
}
