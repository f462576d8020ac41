// The language client, bundled apart as dist/languageClient.js. vscode-languageclient with its
// protocol, JSON-RPC, semver and minimatch modules is four fifths of the client's code and 35–45 ms of
// extension-host CPU to load (bench/activation.mjs), so activate() does not load it: it schedules
// this bundle for right after it returns, and the server starts from here (still without waiting
// for it). Everything that needs vscode-languageclient lives in this file.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CloseAction, DidChangeConfigurationNotification, ErrorAction, LanguageClient, State, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { MAX_RESTARTS, RESTART_WINDOW_MS, RestartPolicy, keepConnectionAfterError } from './restartPolicy';
import { FILE_ANALYSED_NOTIFICATION, FILE_SKIPPED_NOTIFICATION, type FileAnalysedParams, type FileSkippedParams } from '../../server/src/lsp/protocol';
import { serverNodeArgs } from '../../server/src/lsp/runtimeTuning';
import type { ServerState, ServerStatus } from './status';
import { applyWorkspaceTrust, type TrustContext } from './trustedSettings';

export interface ClientSetup {
  context: vscode.ExtensionContext;
  output: vscode.LogOutputChannel;
  status: ServerStatus;
  languages: readonly string[];
  /** The settings section (`wirelens`). */
  section: string;
  /** The command hovers may run (the lesson link). */
  trustedCommand: string;
  trustContext(scope?: vscode.Uri): TrustContext;
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

const STATES = new Map<State, ServerState>([
  [State.Starting, 'starting'],
  [State.Running, 'running'],
  [State.StartFailed, 'failed'],
  [State.Stopped, 'stopped'],
]);

/** The client, not yet started; its state, notifications and disposal are wired to `setup`. */
export function createLanguageClient(setup: ClientSetup): LanguageClient {
  const { context, output, status, section } = setup;
  // The server is our own bundle inside the extension folder, run by VS Code's Node: never a path a
  // setting or the workspace could choose.
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const env = serverEnv(context);
  const restarts = new RestartPolicy();
  // V8's inlining budget and worker pool on the command line, where every host takes them (Electron's
  // among them, which may not let the server set a flag on itself later): see runtimeTuning.ts.
  const nodeArgs = serverNodeArgs(os.availableParallelism?.() ?? os.cpus().length);
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: nodeArgs, ...(env ? { env } : {}) } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009', ...nodeArgs] } },
  };
  const clientOptions: LanguageClientOptions = {
    // No scheme: virtual workspaces work too (the server analyses the text it is sent).
    documentSelector: setup.languages.map((language) => ({ language })),
    synchronize: { configurationSection: section },
    initializationOptions: { lessonLinks: 'command', clientCommands: true },
    markdown: { isTrusted: { enabledCommands: [setup.trustedCommand] }, supportHtml: false },
    outputChannel: output,
    // Restart a crashed server up to four times in three minutes; see restartPolicy.ts for why not the default.
    errorHandler: {
      error: (error, _message, count) => ({ action: keepConnectionAfterError(error, count) ? ErrorAction.Continue : ErrorAction.Shutdown }),
      closed: () =>
        restarts.restartAfterClose()
          ? { action: CloseAction.Restart }
          : { action: CloseAction.DoNotRestart, message: `The Wirelens language server stopped ${MAX_RESTARTS + 1} times in ${RESTART_WINDOW_MS / 60_000} minutes and is no longer restarted. See the output for details.` },
    },
    middleware: {
      workspace: {
        // Restricted Mode: restricted settings come from user settings only (see trustedSettings.ts).
        configuration: async (params, token, next) => {
          const values = await next(params, token);
          if (vscode.workspace.isTrusted || !Array.isArray(values)) return values;
          return values.map((value: unknown, i) => {
            const item = params.items[i];
            if (item?.section !== section) return value;
            return applyWorkspaceTrust(value, setup.trustContext(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined));
          });
        },
      },
    },
  };
  const client = new LanguageClient('wirelens', 'Wirelens', serverOptions, clientOptions);

  // The status item follows the server (a crash and its restart included) and says when the file in
  // front is not analysed; the handlers are registered before start so each new server process uses them.
  client.onNotification(FILE_SKIPPED_NOTIFICATION, (p: FileSkippedParams) => status.fileSkipped(p.uri, p.reason));
  client.onNotification(FILE_ANALYSED_NOTIFICATION, (p: FileAnalysedParams) => status.fileAnalysed(p.uri));
  context.subscriptions.push(
    client.onDidChangeState((e) => {
      const state = STATES.get(e.newState);
      if (state) status.serverState(state);
    }),
  );
  return client;
}

/** Asks the server to read its settings again (after the workspace is trusted). */
export function settingsChanged(client: LanguageClient): Promise<void> {
  return client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
}
