// The VS Code side: starts the language server (without blocking activation), registers the
// commands the server's hovers and code actions link to, and shows the server's state.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { FILE_LESSONS_REQUEST, OPEN_LESSON, registerLessons, type FileLesson } from './lessons/commands';
import { CaptureEditorProvider } from './capture/editor';

const LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];
export { OPEN_LESSON };
export const TURN_OFF_RULE = 'wirelens.turnOffRule';

let client: LanguageClient | undefined;

export interface WirelensApi {
  /** Resolves once the language server answered `initialize` (tests wait on it). */
  ready: Promise<void>;
}

export function activate(context: vscode.ExtensionContext): WirelensApi {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
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
  };
  client = new LanguageClient('wirelens', 'Wirelens', serverOptions, clientOptions);

  const status = vscode.languages.createLanguageStatusItem('wirelens.status', LANGUAGES.map((language) => ({ language })));
  status.name = 'Wirelens';
  status.text = '$(loading~spin) Wirelens starting';
  status.command = { title: 'Show output', command: 'wirelens.showOutput' };
  context.subscriptions.push(
    status,
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

  let restarts = 0;
  context.subscriptions.push(
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) {
        status.text = restarts > 0 ? `$(pulse) Wirelens (restarted ×${restarts})` : '$(pulse) Wirelens';
        status.severity = restarts > 0 ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
        status.detail = restarts > 0 ? 'The language server stopped and was restarted; see the output' : 'Analysing networking calls';
      } else if (e.newState === State.Stopped) {
        restarts++;
        status.text = '$(warning) Wirelens stopped';
        status.severity = vscode.LanguageStatusSeverity.Error;
        status.detail = 'The language server stopped; see the output';
      }
    }),
  );

  // Start in the background: activation returns at once.
  const ready = client.start().then(() => {
    client?.onNotification('wirelens/fileSkipped', (p: { uri: string; reason: string }) => {
      status.detail = `Skipped ${vscode.workspace.asRelativePath(vscode.Uri.parse(p.uri))}: ${p.reason}`;
      status.severity = vscode.LanguageStatusSeverity.Warning;
    });
  });
  ready.catch((err: unknown) => output.error(`Wirelens language server failed to start: ${String(err)}`));
  return { ready };
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
