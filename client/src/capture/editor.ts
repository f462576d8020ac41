// The read-only custom editor for .pcap/.pcapng/.cap files. One CaptureDocument per file streams it
// through the capture engine once (local files with positioned reads, so memory stays bounded; files
// on virtual file systems through vscode.workspace.fs, which can only read whole files); every editor
// on it gets a webview that shows the analysis and asks for rows, ladders and packet details. Events
// in the page link to lessons through the wirelens.openLesson command. Bundled apart as dist/capture.js
// and loaded by capture/register.ts when the first capture opens.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { lessonById } from '../../../server/src/lessons/catalog';
import { OPEN_LESSON } from '../lessons/commands';
import { FileSource } from './fileSource';
import { MemorySource, type ByteSource } from './packetStore';
import { renderCapturePage } from './page';
import type { HostMessage } from './protocol';
import { openCaptureSession, type CaptureSession } from './session';

/** Largest file read whole from a virtual file system (local files are streamed at any size). */
const MAX_IN_MEMORY_BYTES = 512 * 1024 * 1024;

async function openSource(uri: vscode.Uri): Promise<ByteSource> {
  if (uri.scheme === 'file') return FileSource.open(uri.fsPath);
  const { size } = await vscode.workspace.fs.stat(uri);
  if (size > MAX_IN_MEMORY_BYTES) {
    throw new Error(`this ${Math.round(size / 1e6)} MB capture is on a file system that can only be read whole; open a local copy (up to ${MAX_IN_MEMORY_BYTES / 1024 / 1024} MiB can be read this way)`);
  }
  return new MemorySource(await vscode.workspace.fs.readFile(uri));
}

const fileName = (uri: vscode.Uri) => uri.path.slice(uri.path.lastIndexOf('/') + 1) || uri.toString();

export class CaptureDocument implements vscode.CustomDocument {
  private current: Promise<CaptureSession | string> | undefined;
  private abort: AbortController | undefined;
  private readonly messages = new vscode.EventEmitter<HostMessage>();
  /** Progress and summaries for every webview on this document. */
  readonly onMessage = this.messages.event;
  lastProgress: HostMessage | undefined;

  constructor(readonly uri: vscode.Uri) {}

  /** The session (or why there is none); starts reading on first use and after `reload`. */
  session(): Promise<CaptureSession | string> {
    this.current ??= this.load();
    return this.current;
  }

  reload(): void {
    const previous = this.current;
    this.abort?.abort();
    this.current = undefined;
    void previous?.then((s) => (typeof s === 'string' ? undefined : s.dispose()));
    void this.session().then((s) => this.messages.fire(typeof s === 'string' ? { type: 'failed', message: s } : { type: 'summary', summary: s.summary }));
  }

  private async load(): Promise<CaptureSession | string> {
    const abort = (this.abort = new AbortController());
    let source: ByteSource;
    try {
      source = await openSource(this.uri);
    } catch (error) {
      return `Cannot read ${fileName(this.uri)}: ${error instanceof Error ? error.message : String(error)}`;
    }
    let lastPercent = -1;
    const session = await openCaptureSession(source, {
      fileName: fileName(this.uri),
      signal: abort.signal,
      onProgress: (bytesRead, totalBytes) => {
        // One message per percent at most: the page only draws a bar.
        const percent = Math.floor((bytesRead / Math.max(1, totalBytes)) * 100);
        if (percent === lastPercent) return;
        lastPercent = percent;
        this.lastProgress = { type: 'progress', bytesRead, totalBytes };
        this.messages.fire(this.lastProgress);
      },
    });
    this.lastProgress = undefined;
    if (abort.signal.aborted) await session.dispose();
    return session;
  }

  dispose(): void {
    this.abort?.abort();
    void this.current?.then((s) => (typeof s === 'string' ? undefined : s.dispose()));
    this.messages.dispose();
  }
}

/** The viewer itself; capture/register.ts registers it (and loads this bundle on first use). */
export class CaptureEditorProvider implements vscode.CustomReadonlyEditorProvider<CaptureDocument> {
  constructor(private readonly extensionUri: vscode.Uri) {}

  openCustomDocument(uri: vscode.Uri): CaptureDocument {
    const document = new CaptureDocument(uri);
    void document.session();
    return document;
  }

  resolveCustomEditor(document: CaptureDocument, panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const assets = vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview');
    webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [assets] };
    webview.html = renderCapturePage({
      cspSource: webview.cspSource,
      nonce: randomBytes(18).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(assets, 'capture.js')).toString(),
      styleUris: [webview.asWebviewUri(vscode.Uri.joinPath(assets, 'capture.css')).toString()],
      title: fileName(document.uri),
    });
    const post = (message: HostMessage) => void webview.postMessage(message);
    const subscriptions = [
      document.onMessage(post),
      webview.onDidReceiveMessage(async (raw: unknown) => {
        const message = raw as { type?: unknown; lesson?: unknown } | null;
        if (!message || typeof message !== 'object') return;
        if (message.type === 'ready') {
          if (document.lastProgress) post(document.lastProgress);
          const session = await document.session();
          post(typeof session === 'string' ? { type: 'failed', message: session } : { type: 'summary', summary: session.summary });
        } else if (message.type === 'openLesson') {
          if (typeof message.lesson === 'string' && lessonById(message.lesson)) await vscode.commands.executeCommand(OPEN_LESSON, message.lesson);
        } else if (message.type === 'reload') {
          document.lastProgress = undefined;
          document.reload();
        } else {
          const session = await document.session();
          if (typeof session === 'string') return;
          const answer = await session.handle(raw);
          if (answer) post(answer);
        }
      }),
    ];
    panel.onDidDispose(() => subscriptions.forEach((s) => s.dispose()));
  }
}
