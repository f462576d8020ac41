// The language server over stdio for the reliability tests: like test/lsp/harness.ts, plus what these
// tests need: an environment (test hooks, NODE_OPTIONS preloads), every notification and message
// recorded, settings that change per test, and the server's memory as the kernel sees it.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

export const ROOT = path.resolve(__dirname, '..', '..', '..');
export const SERVER = path.join(ROOT, 'dist', 'server.js');
/** The CLI as users run it (bin/wirelens.js loads dist/cli.js). */
export const CLI = path.join(ROOT, 'bin', 'wirelens.js');

export interface Notification {
  method: string;
  params: unknown;
}

export interface ServerOptions {
  env?: Record<string, string>;
  nodeArgs?: string[];
  /** The `wirelens` section answered to workspace/configuration (may change during a test). */
  settings?: unknown;
}

type Waiter = { match: (n: Notification) => boolean; resolve: (n: Notification) => void };

export class StdioServer {
  readonly process: ChildProcessWithoutNullStreams;
  readonly connection: MessageConnection;
  readonly notifications: Notification[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  settings: unknown;
  stderr = '';
  private readonly waiters: Waiter[] = [];

  constructor(options: ServerOptions = {}) {
    this.settings = options.settings ?? {};
    this.process = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER, '--stdio'], { stdio: 'pipe', env: { ...process.env, ...options.env } });
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
    this.process.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    // A server that dies mid-test must fail the test, not the test process (EPIPE on its stdin).
    this.process.stdin.on('error', () => undefined);
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification((method, params) => this.record({ method, params }));
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/showDocument', () => ({ success: true }));
    // showWarningMessage & co. arrive as requests (they may carry actions): recorded like notifications.
    this.connection.onRequest('window/showMessageRequest', (params: unknown) => {
      this.record({ method: 'window/showMessageRequest', params });
      return null;
    });
    this.connection.onRequest('workspace/diagnostic/refresh', () => null);
    this.connection.listen();
  }

  private record(n: Notification): void {
    this.notifications.push(n);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i]!.match(n)) this.waiters.splice(i, 1)[0]!.resolve(n);
    }
  }

  /** The first recorded notification matching, or the next one to arrive. */
  notification(method: string, match: (params: any) => boolean = () => true): Promise<Notification> {
    const seen = this.notifications.find((n) => n.method === method && match(n.params));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.push({ match: (n) => n.method === method && match(n.params), resolve }));
  }

  /** Messages shown to the user (window/showMessage and window/showMessageRequest), in order. */
  shownMessages(): Array<{ type: number; message: string }> {
    return this.notifications.filter((n) => n.method === 'window/showMessage' || n.method === 'window/showMessageRequest').map((n) => n.params as { type: number; message: string });
  }

  /** The log the client's output channel receives (window/logMessage). */
  logMessages(): string[] {
    return this.notifications.filter((n) => n.method === 'window/logMessage').map((n) => (n.params as { message: string }).message);
  }

  async initialize(capabilities: Record<string, unknown>, initializationOptions: unknown = {}, extra: Record<string, unknown> = {}): Promise<{ capabilities: Record<string, any> }> {
    const result = await this.connection.sendRequest<{ capabilities: Record<string, any> }>('initialize', { processId: process.pid, rootUri: null, capabilities, initializationOptions, ...extra });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1, languageId = 'typescript'): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  diagnostics(uri: string): Promise<{ kind: string; items: Array<{ code?: string; message: string; range: any; severity?: number; data?: unknown }> }> {
    return this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } });
  }

  hover(uri: string, line: number, character: number): Promise<{ contents: { kind: string; value: string }; range?: unknown } | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  /** Resident memory of the server process (kB), from /proc. */
  rssKb(): number {
    const status = readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  }

  async stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const result = await this.exited;
    this.connection.dispose();
    return result;
  }

  /** For tests that end with the server gone or wedged: make sure it is. */
  kill(): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
    this.connection.dispose();
  }
}

export const PULL = {
  textDocument: { diagnostic: { dynamicRegistration: false }, hover: { contentFormat: ['markdown', 'plaintext'] }, codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } } },
  workspace: { configuration: true, diagnostics: { refreshSupport: true } },
  window: { showDocument: { support: true } },
};

export const PUSH = {
  textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true }, hover: { contentFormat: ['markdown'] } },
  workspace: { configuration: true },
};

/** Line/character of the first occurrence of `needle` in `text` (UTF-16 columns, like LSP). */
export function positionOf(text: string, needle: string, offset = 0): { line: number; character: number } {
  const at = text.indexOf(needle) + offset;
  if (at < offset) throw new Error(`${needle} not in the text`);
  const before = text.slice(0, at);
  const line = before.split('\n').length - 1;
  return { line, character: at - (before.lastIndexOf('\n') + 1) };
}
