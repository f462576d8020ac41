// A minimal LSP client for tests: starts the bundled server over stdio and speaks JSON-RPC to it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Array<{ code?: string; message: string; severity?: number; range: { start: { line: number; character: number }; end: { line: number; character: number } }; data?: unknown; source?: string; codeDescription?: { href: string } }>;
}

export class LspHarness {
  readonly process: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  private readonly waiters: Array<{ match: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }> = [];
  readonly published: PublishedDiagnostics[] = [];
  stderr = '';

  constructor(args: string[] = ['--stdio'], configuration: unknown = {}) {
    this.process = spawn(process.execPath, [SERVER, ...args], { stdio: 'pipe' });
    this.process.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.push(p);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        if (this.waiters[i].match(p)) this.waiters.splice(i, 1)[0].resolve(p);
      }
    });
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => configuration));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/showDocument', () => ({ success: true }));
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.onNotification('window/showMessage', () => undefined);
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.listen();
  }

  /** Resolves with the next publishDiagnostics for `uri` that satisfies `match`. */
  nextDiagnostics(uri: string, match: (p: PublishedDiagnostics) => boolean = () => true): Promise<PublishedDiagnostics> {
    const already = this.published.find((p) => p.uri === uri && match(p));
    if (already) {
      this.published.splice(this.published.indexOf(already), 1);
      return Promise.resolve(already);
    }
    return new Promise((resolve) => this.waiters.push({ match: (p) => p.uri === uri && match(p), resolve }));
  }

  async initialize(capabilities: Record<string, unknown>, initializationOptions: unknown = {}): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
      initializationOptions,
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, languageId = 'typescript', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}

export const PULL_CAPABILITIES = {
  textDocument: { diagnostic: { dynamicRegistration: false }, hover: { contentFormat: ['markdown', 'plaintext'] }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
  workspace: { configuration: true, diagnostics: { refreshSupport: true } },
  window: { showDocument: { support: true } },
};

export const PUSH_CAPABILITIES = {
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, hover: { contentFormat: ['markdown'] } },
  workspace: { configuration: true },
};
