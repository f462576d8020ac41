// A small LSP client for the benchmarks: starts a language server over stdio and speaks standard
// LSP to it (initialize, didOpen, incremental didChange, pull diagnostics or publishDiagnostics,
// hover, didClose, shutdown). JSON-RPC framing comes from vscode-jsonrpc, which the project already
// has as a dependency of vscode-languageserver.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../corpus.mjs';

const { createMessageConnection, StreamMessageReader, StreamMessageWriter } = createRequire(join(repoRoot, 'package.json'))('vscode-jsonrpc/node');

/** Client capabilities: pull diagnostics when `pull`, otherwise the server pushes them. */
function capabilities(pull) {
  return {
    textDocument: {
      synchronization: { didSave: false, dynamicRegistration: false },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      publishDiagnostics: { versionSupport: true, relatedInformation: true },
      ...(pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
    },
    workspace: {},
    window: {},
  };
}

/** Where the servers the bench starts keep V8's compile cache (as the client's globalStorage does). */
export const defaultCompileCache = join(repoRoot, 'bench', '.cache', 'compile-cache');

/**
 * The Node options the VS Code client starts the server with on this machine (`serverNodeArgs` in
 * server/src/lsp/runtimeTuning.ts, bundled here so the bench cannot drift from the client): every
 * server the bench starts gets them, unless started `bare`, as other editors start it by default.
 */
export function clientNodeArgs() {
  if (!clientArgs) {
    const esbuild = createRequire(join(repoRoot, 'package.json'))('esbuild');
    const outfile = join(repoRoot, 'bench', '.cache', 'runtimeTuning.cjs');
    mkdirSync(join(repoRoot, 'bench', '.cache'), { recursive: true });
    esbuild.buildSync({ entryPoints: [join(repoRoot, 'server/src/lsp/runtimeTuning.ts')], outfile, bundle: true, platform: 'node', format: 'cjs', logLevel: 'silent' });
    clientArgs = createRequire(import.meta.url)(outfile).serverNodeArgs(availableParallelism());
  }
  return clientArgs;
}
let clientArgs;

/** Node arguments that load the heap probe into the server (memory measurements only). */
export const gcProbeArgs = ['--expose-gc', '--require', fileURLToPath(new URL('./gc-probe.cjs', import.meta.url))];

export class LspClient {
  /**
   * Spawns the server (with `clientNodeArgs` before `nodeArgs`, unless `bare`) and completes the
   * initialize handshake; `startToReadyMs` is spawn → initialize result.
   */
  static async start(serverPath, { pull = true, nodeArgs = [], bare = false, node = process.execPath, compileCache, env } = {}) {
    const client = new LspClient(serverPath, [...(bare ? [] : clientNodeArgs()), ...nodeArgs], node, compileCache, env);
    const result = await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: null,
      capabilities: capabilities(pull),
      initializationOptions: {},
    });
    client.startToReadyMs = performance.now() - client.spawnedAt;
    client.serverCapabilities = result.capabilities;
    await client.connection.sendNotification('initialized', {});
    if (pull && !result.capabilities.diagnosticProvider) throw new Error('the server does not offer pull diagnostics (no diagnosticProvider)');
    return client;
  }

  constructor(serverPath, nodeArgs, node, compileCache = defaultCompileCache, extraEnv = {}) {
    this.spawnedAt = performance.now();
    // The environment the VS Code client gives the server (client/src/extension.ts serverEnv): a
    // compile cache, which Node >= 22.1 uses and older Nodes ignore.
    const env = { ...process.env, ...(process.env.NODE_COMPILE_CACHE ? {} : { NODE_COMPILE_CACHE: compileCache }), ...extraEnv };
    this.process = spawn(node, [...nodeArgs, serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.stderr = '';
    this.heapWaiters = [];
    this.process.stderr.on('data', (d) => {
      this.stderr += d.toString();
      // Lines from gc-probe.cjs answer heapAfterGc().
      let m;
      while (this.heapWaiters.length && (m = /wirelens-bench-heap (\{.*\})\n/.exec(this.stderr))) {
        this.stderr = this.stderr.slice(0, m.index) + this.stderr.slice(m.index + m[0].length);
        this.heapWaiters.shift()(JSON.parse(m[1]));
      }
    });
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.versionWaiters = new Map();
    /** The last full diagnostics report of each document, by URI (see pullDiagnostics). */
    this.reports = new Map();
    this.connection.onNotification('textDocument/publishDiagnostics', (p) => {
      const key = `${p.uri}#${p.version}`;
      const waiter = this.versionWaiters.get(key);
      if (waiter) {
        this.versionWaiters.delete(key);
        waiter(p);
      }
    });
    // Requests a server may send; answered like a plain editor with no settings would.
    this.connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.onRequest('window/showMessageRequest', () => null);
    this.connection.onRequest('window/showDocument', () => ({ success: true }));
    this.connection.onNotification(() => undefined);
    this.connection.listen();
  }

  open(uri, languageId, text, version = 1) {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  /** One incremental change: `range` in the current text replaced by `text`. */
  change(uri, version, range, text) {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range, text }] });
  }

  close(uri) {
    this.reports.delete(uri);
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /**
   * The document's diagnostics, pulled as VS Code's client pulls them (vscode-languageclient's
   * diagnostic feature): with the result id of the last report, and on an "unchanged" answer the items
   * it already holds. Resolves with the report, its `items` filled in either way.
   */
  async pullDiagnostics(uri) {
    const last = this.reports.get(uri);
    const report = await this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri }, ...(last ? { previousResultId: last.resultId } : {}) });
    if (report.kind === 'unchanged' && last) return { ...report, items: last.items };
    if (report.resultId !== undefined) this.reports.set(uri, { resultId: report.resultId, items: report.items });
    return report;
  }

  /** Resolves with the publishDiagnostics the server sends for this exact document version. */
  published(uri, version) {
    return new Promise((resolve) => this.versionWaiters.set(`${uri}#${version}`, resolve));
  }

  hover(uri, position) {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position });
  }

  /** Resident set size now and at its peak (Linux /proc), in bytes. */
  memory() {
    const status = readFileSync(`/proc/${this.process.pid}/status`, 'utf8');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peakRss: kb('VmHWM') };
  }

  /**
   * Heap after a full garbage collection, from a server started with gcProbe (see gc-probe.cjs).
   * Call it after a request has been answered, so every earlier message has been handled.
   */
  heapAfterGc() {
    const answer = new Promise((resolve) => this.heapWaiters.push(resolve));
    this.process.kill('SIGUSR2');
    return answer;
  }

  async stop() {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.process.kill();
    }
    const exit = await this.exited;
    this.connection.dispose();
    return exit;
  }
}

export function languageIdOf(path) {
  return /\.[cm]?ts$/.test(path) ? 'typescript' : /\.tsx$/.test(path) ? 'typescriptreact' : 'javascript';
}
