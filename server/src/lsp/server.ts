// The language server: wires LSP requests to the analysis core. Pull diagnostics where the client
// supports them, debounced push otherwise; hovers; code actions. Every handler is guarded so a
// failure is logged and answered with an empty result instead of taking the server down.
import {
  CodeActionKind,
  DocumentDiagnosticReportKind,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type CancellationToken,
  type Connection,
  type Diagnostic,
  type Hover,
  type InitializeParams,
  type InitializeResult,
  type Range,
} from 'vscode-languageserver/node';
import { fileURLToPath } from 'node:url';
import { explainCall } from '../analysis/wire';
import { explanationToMarkdown } from '../analysis/explainText';
import { lessonById } from '../lessons/catalog';
import { FILE_ANALYSED_NOTIFICATION, FILE_LESSONS_REQUEST, FILE_SKIPPED_NOTIFICATION, type FileLesson } from './protocol';
import { lessonCommandUri, lessonFileUri, lessonSiteUrl, OPEN_LESSON_COMMAND } from '../lessons/links';
import { codeActionsFor } from './codeActions';
import { toDiagnostic, toFixes, toRange } from './convert';
import { Documents, type OpenDocument } from './documents';
import { clearEngineCache, toServerSettings, type ServerSettings } from './settings';
import { registerTestHooks } from './testHooks';
import { documentUri, invalidParams, position, range as checkedRange } from './validate';

/** How hovers link to lessons: a trusted command (VS Code client), the Markdown file, or the site. */
type LessonLinks = 'command' | 'file' | 'site';

interface InitOptions {
  lessonLinks?: LessonLinks;
  /** The client implements wirelens.openLesson / wirelens.turnOffRule itself. */
  clientCommands?: boolean;
}

const PUSH_DEBOUNCE_MS = 200;


/** UTF-8 size above `max`, without encoding the text when its length settles it (a UTF-16 unit is 1 to 3 bytes). */
function largerThan(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  return Buffer.byteLength(text, 'utf8') > max;
}

export function startServer(connection: Connection): void {
  const documents = new Documents();
  const settingsCache = new Map<string, Promise<ServerSettings>>();
  const pushTimers = new Map<string, NodeJS.Timeout>();
  const problemsShown = new Set<string>();
  let globalSettings: unknown = {};
  let usePull = false;
  let hasConfiguration = false;
  let canRefresh = false;
  let canShowDocument = false;
  let options: InitOptions = {};
  let shuttingDown = false;
  /** Numbers the diagnostic reports (their result ids) across documents. */
  let reportsSent = 0;
  /** Documents the client was told are not analysed, with the reason it was given. */
  const skippedReasons = new Map<string, string>();

  /** LSP: requests after `shutdown` get InvalidRequest. */
  function running(): void {
    if (shuttingDown) throw new ResponseError(ErrorCodes.InvalidRequest, 'the Wirelens server is shutting down');
  }

  function guard<T>(what: string, fallback: T, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      connection.console.error(`wirelens: ${what} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      return fallback;
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    usePull = !!caps.textDocument?.diagnostic;
    hasConfiguration = !!caps.workspace?.configuration;
    canRefresh = !!caps.workspace?.diagnostics?.refreshSupport;
    canShowDocument = !!caps.window?.showDocument?.support;
    options = (params.initializationOptions ?? {}) as InitOptions;
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    documents.roots = folders.filter((u) => u.startsWith('file:')).map((u) => {
      try {
        return fileURLToPath(u);
      } catch {
        return '';
      }
    }).filter(Boolean);
    const result: InitializeResult = {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix], resolveProvider: false },
      },
      serverInfo: { name: 'wirelens-language-server', version: '0.1.0' },
    };
    if (usePull) result.capabilities.diagnosticProvider = { identifier: 'wirelens', interFileDependencies: false, workspaceDiagnostics: false };
    // VS Code's client registers its own commands; other editors get them executed here.
    if (!options.clientCommands) result.capabilities.executeCommandProvider = { commands: [OPEN_LESSON_COMMAND] };
    return result;
  });

  function settingsFor(uri: string): Promise<ServerSettings> {
    let s = settingsCache.get(uri);
    if (!s) {
      const raw: Promise<unknown> = hasConfiguration
        ? connection.workspace.getConfiguration({ scopeUri: uri, section: 'wirelens' }).then((v) => v, () => ({}))
        : Promise.resolve((globalSettings as { wirelens?: unknown })?.wirelens ?? {});
      s = raw.then((r) => {
        const settings = toServerSettings(r, uri);
        for (const p of settings.problems) {
          if (problemsShown.has(p)) continue;
          problemsShown.add(p);
          void connection.window.showWarningMessage(`Wirelens: ${p}`);
        }
        return settings;
      });
      settingsCache.set(uri, s);
    }
    return s;
  }

  function lessonUrlFor(settings: ServerSettings) {
    return (lesson: string) => lessonSiteUrl(lesson, settings.lessonsBaseUrl);
  }

  /** Tells the client (status item) and the log when a document stops or starts being analysed; once per change. */
  function reportSkipped(uri: string, reason: string | undefined, detail?: string): void {
    if (shuttingDown) return;
    if (reason === undefined) {
      if (skippedReasons.delete(uri)) void connection.sendNotification(FILE_ANALYSED_NOTIFICATION, { uri });
      return;
    }
    if (skippedReasons.get(uri) === reason) return;
    skippedReasons.set(uri, reason);
    connection.console.warn(`wirelens: ${uri} is not analysed: ${reason}${detail ? `\n${detail}` : ''}`);
    void connection.sendNotification(FILE_SKIPPED_NOTIFICATION, { uri, reason });
  }

  async function diagnosticsFor(entry: OpenDocument, token?: CancellationToken): Promise<Diagnostic[]> {
    const settings = await settingsFor(entry.doc.uri);
    if (token?.isCancellationRequested) return [];
    if (largerThan(entry.analyzed.currentText, settings.maxFileBytes)) {
      reportSkipped(entry.doc.uri, `larger than wirelens.maxFileBytes (${settings.maxFileBytes} bytes)`);
      return [];
    }
    return guard('diagnostics', [], () => {
      const { analysis } = entry.analyzed.analyze(settings.analysis);
      if (analysis.failure) {
        reportSkipped(entry.doc.uri, `could not be analysed: ${analysis.failure}`, analysis.internalErrors?.join('\n'));
        return [];
      }
      reportSkipped(entry.doc.uri, undefined);
      if (analysis.internalErrors) for (const e of analysis.internalErrors) connection.console.error(`wirelens: rule failed on ${entry.doc.uri}: ${e}`);
      return analysis.findings.map((f) => toDiagnostic(entry.doc, f, lessonUrlFor(settings)));
    });
  }

  function schedulePush(uri: string, delay = PUSH_DEBOUNCE_MS): void {
    if (usePull) return;
    clearTimeout(pushTimers.get(uri));
    pushTimers.set(
      uri,
      setTimeout(() => {
        pushTimers.delete(uri);
        const entry = documents.get(uri);
        if (!entry) return;
        const version = entry.doc.version;
        void diagnosticsFor(entry).then((diagnostics) => {
          // A newer edit has its own run scheduled: drop this stale result.
          if (documents.get(uri) !== entry || entry.doc.version !== version || shuttingDown) return;
          void connection.sendDiagnostics({ uri, version, diagnostics });
        });
      }, delay),
    );
  }

  function refreshAll(): void {
    settingsCache.clear();
    clearEngineCache();
    if (usePull) {
      if (canRefresh) void connection.languages.diagnostics.refresh();
    } else {
      for (const [uri] of documents.all()) schedulePush(uri, 0);
    }
  }

  connection.onInitialized(() => {
    if (hasConfiguration) void connection.client.register({ method: 'workspace/didChangeConfiguration' } as never).catch(() => undefined);
  });

  connection.onDidChangeConfiguration((change) => {
    globalSettings = change.settings ?? {};
    refreshAll();
  });
  connection.onDidChangeWatchedFiles(() => refreshAll());

  connection.onDidOpenTextDocument((p) =>
    guard('didOpen', undefined, () => {
      if (shuttingDown) return;
      const doc = p?.textDocument;
      if (typeof doc?.uri !== 'string' || typeof doc.text !== 'string') {
        connection.console.warn(`wirelens: ignoring a malformed textDocument/didOpen (${typeof doc?.uri === 'string' ? doc.uri : 'no uri'})`);
        return;
      }
      documents.didOpen(p);
      schedulePush(p.textDocument.uri, 0);
    }),
  );
  connection.onDidChangeTextDocument((p) =>
    guard('didChange', undefined, () => {
      if (documents.didChange(p)) schedulePush(p.textDocument.uri);
    }),
  );
  connection.onDidCloseTextDocument((p) =>
    guard('didClose', undefined, () => {
      const uri = p.textDocument.uri;
      documents.didClose(uri);
      settingsCache.delete(uri);
      skippedReasons.delete(uri);
      clearTimeout(pushTimers.get(uri));
      pushTimers.delete(uri);
      if (!usePull) void connection.sendDiagnostics({ uri, diagnostics: [] });
    }),
  );

  connection.languages.diagnostics.on(async (params, token) => {
    running();
    const entry = documents.get(documentUri(params));
    if (!entry) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    const items = await diagnosticsFor(entry, token);
    // Most keystrokes leave every diagnostic where it was (LSP positions are line and character: only
    // those after the edit on its own line move). Then the client's copy is right as it stands, and
    // "unchanged" spares both sides the list: the server writing it, the client converting it and
    // VS Code updating its markers. A result id names one list, so the client's id says what it holds.
    // The lists are compared as they go on the wire: one serialisation of a few kilobytes, where a
    // deep comparison of the objects cost 0.3-1.2 ms of a fresh server's edits (bench/edit-latency.md).
    const last = entry.report;
    const json = JSON.stringify(items);
    if (last && params.previousResultId === last.resultId && json === last.json) {
      return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: last.resultId };
    }
    const resultId = String(++reportsSent);
    entry.report = { resultId, json };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items };
  });

  connection.onHover(async (params): Promise<Hover | null> => {
    running();
    const uri = documentUri(params);
    const at = position(params.position);
    const entry = documents.get(uri);
    if (!entry) return null;
    const settings = await settingsFor(uri);
    if (largerThan(entry.analyzed.currentText, settings.maxFileBytes)) return null;
    return guard('hover', null, () => {
      const offset = entry.doc.offsetAt(at);
      const call = entry.analyzed.callAt(offset, settings.analysis);
      if (!call) return null;
      const explanation = explainCall(call, settings.analysis);
      if (explanation.phases.length === 0 && explanation.defaults.length === 0) return null;
      const style: LessonLinks = options.lessonLinks ?? 'file';
      const site = { uri: entry.doc.uri, line: entry.doc.positionAt(call.calleeRange.start).line + 1 };
      const linkTo = (lesson: string) => (style === 'command' ? lessonCommandUri(lesson, call.api, site) : style === 'site' ? lessonSiteUrl(lesson, settings.lessonsBaseUrl) : lessonFileUri(lesson));
      return {
        contents: { kind: 'markdown', value: explanationToMarkdown(explanation, { rttMs: settings.analysis.rttMs, lessonLink: linkTo(explanation.lesson), relatedLink: linkTo }) },
        range: toRange(entry.doc, call.calleeRange),
      };
    });
  });

  connection.onCodeAction(async (params) => {
    running();
    const uri = documentUri(params);
    checkedRange(params.range);
    if (!params.context || typeof params.context !== 'object' || !Array.isArray(params.context.diagnostics)) throw invalidParams('context.diagnostics must be an array');
    const entry = documents.get(uri);
    if (!entry) return [];
    if (params.context.only && !params.context.only.some((k) => k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`) || k === CodeActionKind.Empty)) return [];
    const settings = await settingsFor(params.textDocument.uri);
    if (largerThan(entry.analyzed.currentText, settings.maxFileBytes)) return [];
    return guard('codeAction', [], () => {
      const { analysis } = entry.analyzed.analyze(settings.analysis);
      const currentFixes = (rule: string, range: Range) => {
        const finding = analysis.findings.find((f) => {
          const r = toRange(entry.doc, f.range);
          return f.ruleId === rule && r.start.line === range.start.line && r.start.character === range.start.character && r.end.line === range.end.line && r.end.character === range.end.character;
        });
        return finding && toFixes(entry.doc, finding);
      };
      return codeActionsFor(entry.doc, params.context.diagnostics, { canTurnOffRules: !!options.clientCommands, currentFixes });
    });
  });

  // The lessons behind a document's calls and findings ("Wirelens: Lessons for This File").
  connection.onRequest(FILE_LESSONS_REQUEST, async (params: { textDocument?: { uri?: unknown } }): Promise<FileLesson[]> => {
    running();
    const entry = documents.get(documentUri(params));
    if (!entry) return [];
    const settings = await settingsFor(entry.doc.uri);
    if (largerThan(entry.analyzed.currentText, settings.maxFileBytes)) return [];
    return guard('fileLessons', [], () => {
      const { analysis } = entry.analyzed.analyze(settings.analysis);
      const lineOf = (offset: number) => entry.doc.positionAt(offset).line + 1;
      const out: FileLesson[] = analysis.calls.map((call) => ({ lesson: explainCall(call, settings.analysis).lesson, api: call.api, line: lineOf(call.calleeRange.start) }));
      for (const f of analysis.findings) out.push({ lesson: f.lesson, rule: f.ruleId, line: lineOf(f.range.start) });
      return out;
    });
  });

  connection.onExecuteCommand(async (params) => {
    running();
    if (params?.command !== OPEN_LESSON_COMMAND) throw invalidParams(`unknown command ${JSON.stringify(params?.command)}`);
    const lesson = typeof params.arguments?.[0] === 'string' ? params.arguments[0] : undefined;
    // Only catalog ids: the argument becomes a file path.
    if (!lesson || !lessonById(lesson)) throw invalidParams(`unknown lesson ${JSON.stringify(params.arguments?.[0])}`);
    if (canShowDocument) await connection.window.showDocument({ uri: lessonFileUri(lesson), takeFocus: false });
    else void connection.window.showInformationMessage(`Wirelens lesson: ${lessonFileUri(lesson)}`);
  });

  connection.onShutdown(() => {
    shuttingDown = true;
    for (const t of pushTimers.values()) clearTimeout(t);
    pushTimers.clear();
  });

  registerTestHooks(connection);
  connection.listen();
}
