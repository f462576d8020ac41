// The VS Code side: starts the language server (without blocking activation), registers the
// commands the server's hovers and code actions link to, and shows the server's state.
// Activation loads only this bundle (dist/client.js). The language client (dist/languageClient.js,
// vscode-languageclient: 35–45 ms of extension-host CPU to load) is required right after activate()
// returns, and the capture viewer (dist/capture.js) and lesson renderer (dist/lessons.js) on first use.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { requireBundle } from './bundles';
import { registerCaptureEditor } from './capture/register';
import type * as ClientBundle from './languageClient';
import { FILE_LESSONS_REQUEST, type FileLesson } from '../../server/src/lsp/protocol';
import { OPEN_LESSON, registerLessons } from './lessons/commands';
import { ServerStatus, type StatusSnapshot } from './status';
import { ignoredWorkspaceKeys, restrictedKeys, type TrustContext } from './trustedSettings';

const LANGUAGES = ['javascript', 'typescript', 'javascriptreact', 'typescriptreact'];
const SECTION = 'wirelens';
export { OPEN_LESSON };
export const TURN_OFF_RULE = 'wirelens.turnOffRule';

let client: LanguageClient | undefined;
/** Set by deactivate(): a client not created yet is then never created. */
let deactivated = false;

export interface WirelensApi {
  /** Resolves once the language server answered `initialize` (tests wait on it). */
  ready: Promise<void>;
  /** What the language status item shows, and when it changes (tests read them). */
  status(): StatusSnapshot;
  onDidChangeStatus: vscode.Event<StatusSnapshot>;
}

export function activate(context: vscode.ExtensionContext): WirelensApi {
  deactivated = false;
  const output = vscode.window.createOutputChannel('Wirelens', { log: true });
  const restricted = restrictedKeys(context.extension.packageJSON, SECTION);
  const trustContext = (scope?: vscode.Uri): TrustContext => {
    const config = vscode.workspace.getConfiguration(SECTION, scope);
    return { trusted: vscode.workspace.isTrusted, restricted, inspect: (key) => config.inspect(key) };
  };

  // The status item follows the server (a crash and its restart included) and says when the file in
  // front is not analysed.
  const status = new ServerStatus(LANGUAGES.map((language) => ({ language })), 'wirelens.showOutput');
  context.subscriptions.push(
    status,
    output,
    vscode.commands.registerCommand('wirelens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(TURN_OFF_RULE, (rule?: unknown) => (typeof rule === 'string' ? turnOffRule(rule) : undefined)),
  );

  // The language client is created and started as soon as activate() has returned (see the top of
  // the file): nothing here waits for it, and the server is started without waiting for it either.
  let bundle: typeof ClientBundle | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    setImmediate(() => {
      try {
        if (deactivated) throw new Error('the extension was deactivated before its language client started');
        bundle = requireBundle<typeof ClientBundle>(context.extensionPath, 'languageClient');
        client = bundle.createLanguageClient({ context, output, status, languages: LANGUAGES, section: SECTION, trustedCommand: OPEN_LESSON, trustContext });
        client.start().then(resolve, reject);
      } catch (err) {
        reject(err);
      }
    });
  });
  ready.catch((err: unknown) => (deactivated ? undefined : output.error(`Wirelens language server failed to start: ${String(err)}`)));

  // Lessons: the panel, its commands and the tree view (the renderer itself loads on first use).
  registerLessons(context, {
    fileLessons: async (uri) => {
      await ready;
      return client?.sendRequest<FileLesson[]>(FILE_LESSONS_REQUEST, { textDocument: { uri } });
    },
  });
  // Captures (.pcap, .pcapng, .cap) open in the read-only capture viewer (loaded on first use).
  context.subscriptions.push(registerCaptureEditor(context));

  // Say once which workspace settings wait for trust; once it is granted, the server reads its settings again.
  const ignored = ignoredWorkspaceKeys(trustContext());
  if (ignored.length > 0) output.info(`Restricted Mode: the workspace's ${ignored.map((k) => `${SECTION}.${k}`).join(', ')} ignored until you trust this workspace (your user settings apply).`);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info('Workspace trusted: its Wirelens settings now apply.');
      void ready.then(() => (client && bundle ? bundle.settingsChanged(client) : undefined));
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
  deactivated = true;
  return client?.stop();
}
