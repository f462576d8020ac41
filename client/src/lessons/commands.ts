// How lessons are reached from VS Code: the wirelens.openLesson command (hover links, code actions,
// the palette's quick pick, the tree view), "Lessons for This File" (asks the language server which
// lessons explain the calls in the active file) and the Wirelens tree of modules → lessons.
import * as vscode from 'vscode';
import { LESSONS, lessonById, type LessonEntry } from '../../../server/src/lessons/catalog';
import { OPEN_LESSON_COMMAND } from '../../../server/src/lessons/links';
import type { FileLesson } from '../../../server/src/lsp/protocol';
import type { LessonCallContext } from './content';
import { LessonPanel, pickLesson, registerLessonPanelSerializer } from './panel';

export const OPEN_LESSON = OPEN_LESSON_COMMAND;
export const LESSONS_FOR_FILE = 'wirelens.lessonsForFile';
export const LESSONS_VIEW = 'wirelens.lessons';

/** Something that can send the custom request (the LanguageClient once it runs). */
export interface LessonServer {
  fileLessons(uri: string): Promise<FileLesson[] | undefined>;
}

const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)+$/;

/** A rule id (`outbound-request-without-timeout`) rather than an API name (`fetch`, `axios.get`). */
export function looksLikeRuleId(text: string): boolean {
  return RULE_ID.test(text);
}

function codeOf(d: vscode.Diagnostic): string {
  return typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code ?? '');
}

/**
 * The call that led to a lesson. Hovers pass `{ uri, line }`; code actions pass the rule only, and
 * run with the cursor in the diagnostic, so the active editor's diagnostic of that rule nearest the
 * cursor gives the line.
 */
export function callContextFrom(apiOrRule: unknown, at: unknown): LessonCallContext | undefined {
  if (apiOrRule && typeof apiOrRule === 'object') {
    const o = apiOrRule as Record<string, unknown>;
    return callContextFrom(typeof o.api === 'string' ? o.api : typeof o.rule === 'string' ? o.rule : undefined, o);
  }
  const text = typeof apiOrRule === 'string' ? apiOrRule.slice(0, 200) : undefined;
  const rule = text && looksLikeRuleId(text) ? text : undefined;
  const api = text && !rule ? text : undefined;
  let uri: vscode.Uri | undefined;
  let line: number | undefined;
  const where = at && typeof at === 'object' ? (at as Record<string, unknown>) : undefined;
  if (where && typeof where.uri === 'string' && typeof where.line === 'number') {
    try {
      uri = vscode.Uri.parse(where.uri, true);
      line = Math.max(1, Math.floor(where.line));
    } catch {
      uri = undefined;
    }
  }
  const editor = vscode.window.activeTextEditor;
  if (!uri && editor && (rule || api)) {
    uri = editor.document.uri;
    const cursor = editor.selection.active.line;
    if (rule) {
      const candidates = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'wirelens' && codeOf(d) === rule);
      candidates.sort((a, b) => Math.abs(a.range.start.line - cursor) - Math.abs(b.range.start.line - cursor));
      line = (candidates[0]?.range.start.line ?? cursor) + 1;
    } else {
      line = cursor + 1;
    }
  }
  if (!api && !rule && !uri) return undefined;
  const context: LessonCallContext = { api, rule };
  if (uri && line !== undefined) {
    context.uri = uri.toString();
    context.file = uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, false);
    context.line = line;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri!.toString());
    if (doc && line <= doc.lineCount) context.code = doc.lineAt(line - 1).text.trim().slice(0, 400);
  }
  return context;
}

class LessonTree implements vscode.TreeDataProvider<string | LessonEntry> {
  getChildren(element?: string | LessonEntry): (string | LessonEntry)[] {
    if (element === undefined) return [...new Set(LESSONS.map((l) => l.module))];
    if (typeof element === 'string') return LESSONS.filter((l) => l.module === element);
    return [];
  }

  getTreeItem(element: string | LessonEntry): vscode.TreeItem {
    if (typeof element === 'string') {
      const item = new vscode.TreeItem(element, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `module:${element}`;
      return item;
    }
    const item = new vscode.TreeItem(element.title, vscode.TreeItemCollapsibleState.None);
    item.id = element.id;
    item.description = element.number;
    item.tooltip = `${element.number} ${element.title} (${element.module})`;
    item.iconPath = new vscode.ThemeIcon('book');
    item.command = { title: 'Open lesson', command: OPEN_LESSON, arguments: [element.id] };
    return item;
  }
}

async function openLessonCommand(context: vscode.ExtensionContext, lesson: unknown, apiOrRule: unknown, at: unknown): Promise<void> {
  let id = typeof lesson === 'string' && lessonById(lesson) ? lesson : undefined;
  if (!id) id = await pickLesson();
  if (!id) return;
  await LessonPanel.show(context.extensionUri, id, callContextFrom(apiOrRule, at));
}

async function lessonsForFileCommand(context: vscode.ExtensionContext, server: LessonServer): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Wirelens: open a JavaScript or TypeScript file to see the lessons behind its calls.');
    return;
  }
  const found = (await server.fileLessons(editor.document.uri.toString())) ?? [];
  const byLesson = new Map<string, FileLesson[]>();
  for (const f of found) {
    if (!lessonById(f.lesson)) continue;
    const list = byLesson.get(f.lesson) ?? [];
    list.push(f);
    byLesson.set(f.lesson, list);
  }
  if (byLesson.size === 0) {
    void vscode.window.showInformationMessage(`Wirelens: no networking calls found in ${vscode.workspace.asRelativePath(editor.document.uri)}.`);
    return;
  }
  type Item = vscode.QuickPickItem & { lesson: string; first: FileLesson };
  const order = new Map(LESSONS.map((l, i) => [l.id, i]));
  const items: Item[] = [...byLesson.entries()]
    .sort(([a], [b]) => (order.get(a) ?? 0) - (order.get(b) ?? 0))
    .map(([lesson, uses]) => {
      const entry = lessonById(lesson)!;
      const sorted = [...uses].sort((a, b) => a.line - b.line);
      const calls = sorted.filter((u) => u.api).map((u) => `${u.api} (line ${u.line})`);
      const rules = [...new Set(sorted.filter((u) => u.rule).map((u) => u.rule!))];
      return {
        label: `${entry.number} ${entry.title}`,
        description: [...new Set(calls)].join(', '),
        detail: rules.length ? `Findings: ${rules.join(', ')}` : undefined,
        lesson,
        first: sorted[0]!,
      };
    });
  const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Lessons behind the networking calls in this file', matchOnDescription: true, matchOnDetail: true });
  if (!pick) return;
  await LessonPanel.show(context.extensionUri, pick.lesson, callContextFrom(pick.first.api ?? pick.first.rule, { uri: editor.document.uri.toString(), line: pick.first.line }));
}

export function registerLessons(context: vscode.ExtensionContext, server: LessonServer): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(OPEN_LESSON, (lesson?: unknown, apiOrRule?: unknown, at?: unknown) => openLessonCommand(context, lesson, apiOrRule, at)),
    vscode.commands.registerCommand(LESSONS_FOR_FILE, () => lessonsForFileCommand(context, server)),
    vscode.window.registerTreeDataProvider(LESSONS_VIEW, new LessonTree()),
    registerLessonPanelSerializer(context),
  );
}
