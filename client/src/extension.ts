// The VS Code side: starts the language server (without blocking activation), registers the
// commands the server's hovers and code actions link to, and shows the server's state.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DidChangeConfigurationNotification, LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { FILE_LESSONS_REQUEST, OPEN_LESSON, registerLessons, type FileLesson } from './lessons/commands';
import { CaptureEditorProvider } from './capture/editor';
import { ServerStatus, type StatusSnapshot } from './status';
import { applyWorkspaceTrust, ignoredWorkspaceKeys, restrictedKeys, type TrustContext } from './trustedSettings';

const LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];
const SECTION = 'wirelens';
export { OPEN_LESSON };
export const TURN_OFF_RULE = 'wirelens.turnOffRule';

let client: LanguageClient | undefined;

export interface WirelensApi {
  /** Resolves once the language server answered `initialize` (tests wait on it). */
  ready: Promise<void>;
  /** What the language status item shows, and when it changes (tests read them). */
  status(): StatusSnapshot;
  onDidChangeStatus: vscode.Event<StatusSnapshot>;
}

/**
 * Environment for the server process. NODE_COMPILE_CACHE (Node >= 22.1; older Nodes ignore it) keeps
 * V8's compiled code of the 4 MB bundle (the TypeScript compiler included) on disk, so starts after
 * the first skip compiling it: start-to-ready about a quarter shorter in Node 24 (docs/benchmarks.md,
 * "Server"). Node checks each entry against the file's content, so an update of the extension cannot
 * run stale code. The directory is the extension's own storage, not one the workspace chooses; a
 * cache the user configured is left alone.
 */
function serverEnv(context: vscode.ExtensionContext): NodeJS.ProcessEnv | undefined {
  if (process.env.NODE_COMPILE_CACHE) return undefined;
  return { NODE_COMPILE_CACHE: path.join(context.globalStorageUri.fsPath, 'compile-cache') };
}

export function activate(context: vscode.ExtensionContext): WirelensApi {
  // The server is our own bundle inside the extension folder, run by VS Code's Node: never a path a
  // setting or the workspace could choose.
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const env = serverEnv(context);
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, ...(env ? { options: { env } } : {}) },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const output = vscode.window.createOutputChannel('Wirelens', { log: true });
  const clientOptions: LanguageClientOptions = {
    // No scheme: virtual workspaces work too (the server analyses the text it is sent).
    documentSelector: LANGUAGES.map((language) => ({ language })),
    synchronize: { configurationSection: 'wirelens' },
    initializationOptions: { lessonLinks: 'command', clientCommands: true },
    markdown: { isTrusted: { enabledCommands: [OPEN_LESSON] }, supportHtml: false },
    outputChannel: output,
    middleware: {
      workspace: {
        // Restricted Mode: restricted settings come from user settings only (see trustedSettings.ts).
        configuration: async (params, token, next) => {
          const values = await next(params, token);
          if (vscode.workspace.isTrusted || !Array.isArray(values)) return values;
          return values.map((value: unknown, i) => {
            const item = params.items[i];
            if (item?.section !== SECTION) return value;
            return applyWorkspaceTrust(value, trustContext(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined));
          });
        },
      },
    },
  };
  const restricted = restrictedKeys(context.extension.packageJSON, SECTION);
  const trustContext = (scope?: vscode.Uri): TrustContext => {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return { trusted: vscode.workspace.isTrusted, restricted, inspect: (key) => config.inspect(key) };
  };
  client = new LanguageClient('wirelens', 'Wirelens', serverOptions, clientOptions);

  // The status item follows the server (a crash and its restart included) and says when the file in
  // front is not analysed; the handlers are registered before start so each new server process uses them.
  const status = new ServerStatus(LANGUAGES.map((language) => ({ language })), 'wirelens.showOutput');
  client.onNotification('wirelens/fileSkipped', (p: { uri: string; reason: string }) => status.fileSkipped(p.uri, p.reason));
  client.onNotification('wirelens/fileAnalysed', (p: { uri: string }) => status.fileAnalysed(p.uri));
  context.subscriptions.push(
    status,
    status.follow(client),
    output,
    vscode.commands.registerCommand('wirelens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(TURN_OFF_RULE, (rule?: unknown) => (typeof rule === 'string' ? turnOffRule(rule) : undefined)),
  );

  // Lessons: the panel, its commands and the tree view (the renderer itself loads on first use).
  registerLessons(context, {
    fileLessons: async (uri) => {
      await ready;
      return client?.sendRequest<FileLesson[]>(FILE_LESSONS_REQUEST, { textDocument: { uri } });
    },
  });
  // Captures (.pcap, .pcapng, .cap) open in the read-only capture viewer.
  context.subscriptions.push(CaptureEditorProvider.register(context));

  // Start in the background: activation returns at once.
  const ready = client.start();
  ready.catch((err: unknown) => output.error(`Wirelens language server failed to start: ${String(err)}`));

  // Say once which workspace settings wait for trust; once it is granted, the server reads its settings again.
  const ignored = ignoredWorkspaceKeys(trustContext());
  if (ignored.length > 0) output.info(`Restricted Mode: the workspace's ${ignored.map((k) => `${SECTION}.${k}`).join(', ')} ignored until you trust this workspace (your user settings apply).`);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info('Workspace trusted: its Wirelens settings now apply.');
      void ready.then(() => client?.sendNotification(DidChangeConfigurationNotification.type, { settings: null }));
    }),
  );
  return { ready, status: () => status.snapshot(), onDidChangeStatus: status.onDidChange };
}

async function turnOffRule(rule: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('wirelens');
  const rules = { ...(config.get<Record<string, string>>('rules') ?? {}), [rule]: 'off' };
  const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update('rules', rules, target);
  void vscode.window.showInformationMessage(`Wirelens: ${rule} is off (wirelens.rules).`);
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
