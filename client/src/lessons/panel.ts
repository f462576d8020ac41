// The lesson panel: one webview panel, reused, opened beside the editor without taking focus. The
// page is built by the lesson renderer (dist/lessons.js, loaded on first use) and runs one nonce'd
// script from dist/webview/. After a window reload VS Code hands the page's saved state (lesson id,
// steps, RTT, the call that led here) to the serializer, which shows the same lesson again.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as vscode from 'vscode';
import { LESSONS, lessonById, type LessonEntry } from '../../../server/src/lessons/catalog';
import type * as Content from './content';
import type { LessonCallContext } from './content';

export const LESSON_VIEW_TYPE = 'wirelens.lesson';

/** What the page saves with setState (see client/src/webview/lesson.ts), as far as the panel reads it. */
interface SavedState {
  lesson?: unknown;
  context?: unknown;
}

type PageMessage = { type: 'openLesson'; lesson: string; fragment?: string; back?: boolean } | { type: 'pickLesson' } | { type: 'revealCall' };

let content: typeof Content | undefined;

/** The renderer bundle, required on the first lesson (keeps markdown-it out of activation). */
function loadContent(extensionUri: vscode.Uri): typeof Content {
  if (!content) {
    const bundle = vscode.Uri.joinPath(extensionUri, 'dist', 'lessons.js').fsPath;
    content = createRequire(bundle)(bundle) as typeof Content;
  }
  return content;
}

/**
 * Reads one of the extension's own files. They sit on the extension host's disk, so they are read
 * from there: `vscode.workspace.fs` sends every read through the window and back, and right after a
 * window reload each of those round trips waits behind the workbench's start-up work (7 s for a
 * lesson and its diagrams in code-server, measured; the restored panel stays blank meanwhile).
 * Synchronously: a lesson and its diagrams are a few small files (well under a millisecond), while
 * each asynchronous read would queue behind the other extensions activating at the same time
 * (1.6 s for the same files, measured).
 */
async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    if (uri.scheme === 'file') return readFileSync(uri.fsPath, 'utf8');
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

function isCallContext(value: unknown): value is LessonCallContext {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  const optionalString = (k: string) => v[k] === undefined || typeof v[k] === 'string';
  return optionalString('api') && optionalString('rule') && optionalString('file') && optionalString('code') && optionalString('uri') && (v.line === undefined || typeof v.line === 'number');
}

export class LessonPanel {
  private static current: LessonPanel | undefined;
  private lessonId = '';
  private context: LessonCallContext | undefined;
  /** Lessons visited in this panel, for the page's "Back" link. */
  private readonly history: string[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
  ) {
    panel.webview.options = LessonPanel.webviewOptions(extensionUri);
    const icons = vscode.Uri.joinPath(extensionUri, 'media', 'icons');
    panel.iconPath = { light: vscode.Uri.joinPath(icons, 'lesson-light.svg'), dark: vscode.Uri.joinPath(icons, 'lesson-dark.svg') };
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: unknown) => void this.onMessage(m)),
    );
  }

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      enableFindWidget: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
    };
  }

  /** Shows a lesson in the panel (created beside the active editor the first time), focus stays put. */
  static async show(extensionUri: vscode.Uri, lessonId: string, context?: LessonCallContext): Promise<void> {
    let target = LessonPanel.current;
    if (!target) {
      const panel = vscode.window.createWebviewPanel(
        LESSON_VIEW_TYPE,
        'Wirelens lesson',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        LessonPanel.webviewOptions(extensionUri),
      );
      target = LessonPanel.current = new LessonPanel(panel, extensionUri);
    } else if (!target.panel.visible) {
      target.panel.reveal(undefined, true);
    }
    await target.showLesson(lessonId, context, { pushHistory: true });
  }

  /** Restores the panel after a window reload from the page's saved state. */
  static async revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, saved: unknown): Promise<void> {
    LessonPanel.current?.panel.dispose();
    const revived = (LessonPanel.current = new LessonPanel(panel, extensionUri));
    const state = (saved ?? {}) as SavedState;
    const lesson = typeof state.lesson === 'string' && lessonById(state.lesson) ? state.lesson : LESSONS[0]!.id;
    await revived.showLesson(lesson, isCallContext(state.context) ? state.context : undefined, { pushHistory: false });
  }

  /** The lesson on show (for tests and commands), or undefined without a panel. */
  static get currentLesson(): string | undefined {
    return LessonPanel.current?.lessonId;
  }

  private async showLesson(id: string, context: LessonCallContext | undefined, how: { pushHistory: boolean; fragment?: string }): Promise<void> {
    const entry = lessonById(id);
    if (!entry) throw new Error(`Unknown lesson ${id}`);
    if (how.pushHistory && this.lessonId && this.lessonId !== id) this.history.push(this.lessonId);
    this.lessonId = id;
    this.context = context;
    this.panel.title = `${entry.number} ${entry.title}`;
    this.panel.webview.html = await this.page(entry, how.fragment);
  }

  private async page(entry: LessonEntry, fragment?: string): Promise<string> {
    const lib = loadContent(this.extensionUri);
    const webview = this.panel.webview;
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const source = await readText(vscode.Uri.joinPath(media, 'lessons', `${entry.id}.md`));
    const markdown = source ?? `# ${entry.title}\n\nThis lesson is not available in this version of Wirelens.`;
    // Every diagram at once (one after another only matters off the local disk).
    const ids = [...new Set(lib.findDiagramReferences(markdown).map((ref) => ref.id))].filter((id) => /^[a-z0-9][a-z0-9-]*$/.test(id));
    const texts = await Promise.all(ids.map((id) => readText(vscode.Uri.joinPath(media, 'diagrams', `${id}.json`))));
    const diagrams = new Map(ids.map((id, i) => [id, texts[i]]));
    const lesson = lib.renderLesson(markdown, { id: entry.id, loadDiagram: (d) => diagrams.get(d) });
    const back = this.history.length ? lessonById(this.history[this.history.length - 1]!) : undefined;
    const assets = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    return lib.renderLessonPage({
      lesson,
      mode: 'panel',
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, 'lesson.js')).toString(),
      styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(assets, 'lesson.css')).toString()],
      context: this.context,
      userRttMs: vscode.workspace.getConfiguration('wirelens').get<number>('rttMs'),
      back,
      fragment: fragment && /^[A-Za-z0-9_-]{1,100}$/.test(fragment) ? fragment : undefined,
    });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const message = raw as Partial<PageMessage> | undefined;
    if (!message || typeof message !== 'object') return;
    if (message.type === 'openLesson' && typeof message.lesson === 'string' && lessonById(message.lesson)) {
      if (message.back && this.history[this.history.length - 1] === message.lesson) {
        this.history.pop();
        await this.showLesson(message.lesson, undefined, { pushHistory: false });
      } else {
        await this.showLesson(message.lesson, undefined, { pushHistory: true, fragment: typeof message.fragment === 'string' ? message.fragment : undefined });
      }
    } else if (message.type === 'pickLesson') {
      const id = await pickLesson();
      if (id) await this.showLesson(id, undefined, { pushHistory: true });
    } else if (message.type === 'revealCall') {
      await this.revealCall();
    }
  }

  /** Goes back to the user's call, in an editor column other than the panel's. */
  private async revealCall(): Promise<void> {
    const uriText = this.context?.uri;
    if (!uriText) return;
    const uri = vscode.Uri.parse(uriText);
    const line = Math.max(0, (this.context?.line ?? 1) - 1);
    const column =
      vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn ??
      vscode.window.visibleTextEditors.find((e) => e.viewColumn !== this.panel.viewColumn)?.viewColumn ??
      vscode.ViewColumn.One;
    const position = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(uri, { viewColumn: column, selection: new vscode.Range(position, position) });
  }

  private dispose(): void {
    if (LessonPanel.current === this) LessonPanel.current = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** The "Open Lesson…" quick pick: every lesson, grouped by module. */
export async function pickLesson(placeHolder = 'Open a Wirelens lesson'): Promise<string | undefined> {
  type Item = vscode.QuickPickItem & { id?: string };
  const items: Item[] = [];
  let module = '';
  for (const l of LESSONS) {
    if (l.module !== module) {
      module = l.module;
      items.push({ label: module, kind: vscode.QuickPickItemKind.Separator });
    }
    items.push({ label: `${l.number} ${l.title}`, description: l.module, id: l.id });
  }
  const pick = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
  return pick?.id;
}

export function registerLessonPanelSerializer(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(LESSON_VIEW_TYPE, {
    deserializeWebviewPanel: (panel, state) => LessonPanel.revive(panel, context.extensionUri, state),
  });
}
